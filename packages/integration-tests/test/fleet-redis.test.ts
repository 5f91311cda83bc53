import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import "./provided-context.js";
import { type FleetResult, runFleet } from "../src/index.js";

function expectOneRefreshPerExpiry(result: FleetResult) {
	expect(result.errors).toEqual([]);
	expect(result.failedGrants).toBe(0); // zero invalid_grant
	expect(result.redundantGrants).toBe(0);
	expect(result.refreshGrants).toBeGreaterThanOrEqual(3); // several expiries were crossed
	expect(result.tokenRequestsPerExpiry).toBe(1);
	expect(result.processesWithValidToken).toBe(result.processes);
}

// A real redis-server (O365_TEST_REDIS_URL, or one .ci/redis starts); each process its own client.
describe("8 processes sharing one Redis token key, rotating refresh tokens", () => {
	for (const client of ["ioredis", "node-redis"] as const) {
		it(`Redis through ${client}: exactly one refresh-token grant per expiry across the fleet`, async () => {
			const result = await runFleet({
				store: { kind: "redis", url: inject("redisUrl"), key: `fleet-${randomUUID()}`, client },
			});
			console.info(`fleet redis ${client}`, JSON.stringify(result));
			expectOneRefreshPerExpiry(result);
		});
	}
});
