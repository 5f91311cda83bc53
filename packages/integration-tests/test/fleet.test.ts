import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
	it("file system: exactly one refresh-token grant per expiry across the fleet", async () => {
		const dir = await mkdtemp(join(tmpdir(), "o365-fleet-"));
		try {
			const result = await runFleet({ store: { kind: "fs", tokenPath: dir } });
			console.info("fleet fs", JSON.stringify(result));
			expectOneRefreshPerExpiry(result);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});
