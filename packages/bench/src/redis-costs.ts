import { randomUUID } from "node:crypto";
import { RedisTokenBackend } from "@o365/backend-redis";
import { runFleet } from "@o365/integration-tests";
import { Redis } from "ioredis";
import { saveRatio, userCache } from "./storage-costs.js";

/**
 * A save of one user's token with 10,000 users' token keys in the Redis database ÷ the same save
 * with one key there; two databases of one server, rounds alternating so load affects both alike.
 */
export async function measureRedisSaveRatio(url: string, rounds = 500): Promise<number> {
	const keyPrefix = `o365-bench:${randomUUID()}:`;
	const clients = [new Redis(url, { db: 14 }), new Redis(url, { db: 15 })] as const;
	try {
		const fill = clients[1].pipeline();
		for (let n = 1; n < 10_000; n += 1) fill.set(`${keyPrefix}{user-${n}}`, userCache(n));
		await fill.exec();
		const backends = clients.map((client) => new RedisTokenBackend({ client, keyPrefix, key: "user-0" }));
		return await saveRatio(backends as [RedisTokenBackend, RedisTokenBackend], rounds);
	} finally {
		await Promise.all(clients.map((client) => client.flushdb()));
		for (const client of clients) client.disconnect();
	}
}

/** Token requests per access-token expiry for 8 processes sharing one Redis key (each its own ioredis client). */
export async function measureRedisFleet(url: string): Promise<number> {
	const result = await runFleet({
		store: { kind: "redis", url, key: `bench-${randomUUID()}`, client: "ioredis" },
	});
	return result.tokenRequestsPerExpiry;
}
