import { fileURLToPath } from "node:url";
import { expectExampleStoresTheToken } from "@o365/example-support/test";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, inject, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));
const KEY = "o365-example:token:{default}";

describe("backend-redis example (a real redis-server)", () => {
	const env = inject("ciServerEnv");
	const redis = new Redis(env.O365_TEST_REDIS_URL as string, { lazyConnect: true });
	beforeAll(async () => {
		await redis.connect();
		await redis.del(KEY);
	});
	afterAll(async () => {
		await redis.del(KEY);
		redis.disconnect();
	});

	it("stores the signed-in user's token in Redis, signs in silently from it next time, and calls Graph", async () => {
		await expectExampleStoresTheToken({
			exampleDir,
			env,
			storedIn: `Redis at ${env.O365_TEST_REDIS_URL}, key ${KEY}`,
			readStored: async () => (await redis.get(KEY)) ?? undefined,
		});
	});
});
