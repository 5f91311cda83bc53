import { describe, expect, inject, it } from "vitest";
import "./provided-context.js";
import { createS3Store, runFleet } from "../src/index.js";

describe("8 processes sharing one token store, rotating refresh tokens", () => {
	it("S3 (Ceph radosgw): exactly one refresh-token grant per expiry across the fleet", async () => {
		const store = await createS3Store(inject("s3Server"));
		try {
			const result = await runFleet({ store: store.config });
			console.info("fleet s3", JSON.stringify(result));
			expect(result.errors).toEqual([]);
			expect(result.failedGrants).toBe(0); // zero invalid_grant
			expect(result.redundantGrants).toBe(0);
			expect(result.refreshGrants).toBeGreaterThanOrEqual(3); // several expiries were crossed
			expect(result.tokenRequestsPerExpiry).toBe(1);
			expect(result.processesWithValidToken).toBe(result.processes);
		} finally {
			await store.drop();
		}
	});
});
