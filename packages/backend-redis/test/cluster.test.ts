import { testTokenBackend } from "@o365/backend-test-suite";
import { Cluster, Redis } from "ioredis";
import { createCluster } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisClient, RedisTokenBackend } from "../src/index.js";
import { deleteKeys } from "./helpers/clients.js";
import { type OwnRedisServer, ownRedisServer } from "./helpers/own-server.js";

// A one-node Redis Cluster (it serves all 16384 hash slots): it refuses a command or script whose
// keys lie in different slots (CROSSSLOT) exactly as a real cluster does, so the backend's keys
// must share one slot. What needs several nodes (MOVED redirects, failover) is the client's job.
let server: OwnRedisServer;
let admin: Redis;
let ioredisCluster: Cluster;
let nodeRedisCluster: ReturnType<typeof createCluster>;
beforeAll(async () => {
	server = await ownRedisServer({ cluster: true });
	const { port } = new URL(server.url);
	admin = new Redis(Number(port), "127.0.0.1");
	ioredisCluster = new Cluster([{ host: "127.0.0.1", port: Number(port) }]);
	nodeRedisCluster = createCluster({ rootNodes: [{ url: server.url }] });
	for (const client of [admin, ioredisCluster, nodeRedisCluster]) client.on("error", () => {});
	await nodeRedisCluster.connect();
});
afterAll(async () => {
	admin?.disconnect();
	ioredisCluster?.disconnect();
	await nodeRedisCluster?.close();
	await server?.dispose();
});

describe("Redis Cluster key hashing", () => {
	it("the token, its lease and its quarantined copies share one hash slot", async () => {
		const backend = new RedisTokenBackend({ client: ioredisCluster, keyPrefix: "app:o365:", key: "user-42" });
		const keys = [backend.key, backend.leaseKey, `${backend.key}.corrupt-2026-01-02T030405.678Z-2`];
		const slots = await Promise.all(keys.map((key) => admin.call("CLUSTER", "KEYSLOT", key)));
		expect(new Set(slots).size, `slots of ${keys.join(", ")}`).toBe(1);
		const other = new RedisTokenBackend({ client: ioredisCluster, keyPrefix: "app:o365:", key: "user-43" });
		expect(
			await admin.call("CLUSTER", "KEYSLOT", other.key),
			"another user's key hashes by its own key",
		).not.toBe(slots[0]);
	});

	it("the server under test refuses keys of two slots (so the tests below would catch them)", async () => {
		await admin.set("{a}x", "1");
		await expect(admin.rename("{a}x", "{b}x")).rejects.toThrow(/CROSSSLOT/);
		await admin.del("{a}x");
	});
});

const clusters: [string, () => RedisClient][] = [
	["ioredis Cluster", () => ioredisCluster],
	["node-redis createCluster", () => nodeRedisCluster],
];
for (const [name, client] of clusters) {
	const keyPrefix = `o365-cluster-test:${name.split(" ")[0]}:`;
	testTokenBackend({
		name: `redis (${name}, one-node cluster)`,
		create: () => new RedisTokenBackend({ client: client(), keyPrefix, key: "conformance" }),
		reset: () => deleteKeys(admin, keyPrefix),
		badConfigurations: [
			{ name: "an empty key", build: () => new RedisTokenBackend({ client: client(), keyPrefix, key: "" }) },
		],
	});
}
