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

describe("8 processes sharing one token store, rotating refresh tokens", () => {
	it("AWS Secrets Manager (moto): exactly one refresh-token grant per expiry across the fleet", async () => {
		const result = await runFleet({
			store: {
				kind: "aws-secrets",
				endpoint: inject("motoEndpoint"),
				secretName: `o365-fleet/${randomUUID()}`,
			},
		});
		console.info("fleet aws-secrets", JSON.stringify(result));
		expectOneRefreshPerExpiry(result);
	});
});
