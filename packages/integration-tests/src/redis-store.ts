import { RedisTokenBackend } from "@o365/backend-redis";
import type { TokenBackend } from "@o365/core";
import { Redis } from "ioredis";
import { createClient } from "redis";
import type { StoreConfig } from "./fleet-config.js";

/** A fleet member's own Redis client (ioredis or node-redis) and the backend over it. */
export async function openRedisStore(
	config: Extract<StoreConfig, { kind: "redis" }>,
): Promise<{ backend: TokenBackend; close(): Promise<void> }> {
	const keyPrefix = "o365-fleet:";
	if (config.client === "ioredis") {
		const client = new Redis(config.url);
		return {
			backend: new RedisTokenBackend({ client, keyPrefix, key: config.key }),
			close: async () => void (await client.quit()),
		};
	}
	const client = createClient({ url: config.url });
	await client.connect();
	return {
		backend: new RedisTokenBackend({ client, keyPrefix, key: config.key }),
		close: async () => void (await client.close()),
	};
}
