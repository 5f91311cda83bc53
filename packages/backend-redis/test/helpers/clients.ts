import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { inject } from "vitest";
import type { RedisClient } from "../../src/index.js";

/** The two client libraries the backend accepts; every test runs with both. */
export const CLIENT_LIBRARIES = ["ioredis", "node-redis"] as const;
export type ClientLibrary = (typeof CLIENT_LIBRARIES)[number];

/** A connected client of `library` on `url`, and how to close it. */
export async function openClient(
	library: ClientLibrary,
	url: string,
	options: { reconnectDelayMs?: number } = {},
): Promise<{ client: RedisClient; close(): Promise<void> }> {
	const delay = options.reconnectDelayMs;
	if (library === "ioredis") {
		const client = new Redis(url, delay === undefined ? {} : { retryStrategy: () => delay });
		// ioredis reports connection errors as events; without a listener Node would print them.
		client.on("error", () => {});
		return { client, close: async () => void client.disconnect() };
	}
	const client = createClient(
		delay === undefined ? { url } : { url, socket: { reconnectStrategy: () => delay } },
	);
	client.on("error", () => {});
	await client.connect();
	return { client, close: async () => void client.destroy() };
}

/** The test server's URL (from the global setup). */
export function redisUrl(): string {
	return inject("redisUrl");
}

/** A key prefix no other test file uses. */
export function uniquePrefix(): string {
	return `o365-test:${randomUUID()}:`;
}

/** A plain ioredis client for looking at (and tampering with) the server's keys from a test. */
export function inspector(url: string = redisUrl()): Redis {
	const client = new Redis(url);
	client.on("error", () => {});
	return client;
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
	const keys = await redis.keys(`${prefix}*`);
	if (keys.length > 0) await redis.del(...keys);
}
