import { testTokenBackend } from "@o365/backend-test-suite";
import { afterAll, beforeAll } from "vitest";
import { type RedisClient, RedisTokenBackend } from "../src/index.js";
import { badConfigurations } from "./helpers/bad-configurations.js";
import { deleteKeys, inspector, openClient, redisUrl, uniquePrefix } from "./helpers/clients.js";

// A real redis-server (O365_TEST_REDIS_URL, or one .ci/redis starts), through ioredis.
const keyPrefix = uniquePrefix();
const admin = inspector();
let client: RedisClient;
let close: () => Promise<void>;
beforeAll(async () => {
	({ client, close } = await openClient("ioredis", redisUrl()));
});
afterAll(async () => {
	await deleteKeys(admin, keyPrefix);
	admin.disconnect();
	await close();
});

testTokenBackend({
	name: "redis (ioredis)",
	create: () => new RedisTokenBackend({ client, keyPrefix, key: "conformance" }),
	reset: () => deleteKeys(admin, keyPrefix),
	badConfigurations: badConfigurations("ioredis", () => client),
});
