import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { runFleet } from "../src/index.js";

declare module "vitest" {
	export interface ProvidedContext {
		/** The Cloud Firestore emulator (from backend-firestore's global setup), `host:port`. */
		firestoreHost: string;
	}
}

describe("8 processes sharing one token store, rotating refresh tokens", () => {
	it("Cloud Firestore (emulator): exactly one refresh-token grant per expiry across the fleet", async () => {
		const result = await runFleet({
			store: {
				kind: "firestore",
				host: inject("firestoreHost"),
				projectId: `o365-fleet-${randomUUID().slice(0, 8)}`,
				docId: "fleet-user",
			},
		});
		console.info("fleet firestore", JSON.stringify(result));
		expect(result.errors).toEqual([]);
		expect(result.failedGrants).toBe(0); // zero invalid_grant
		expect(result.redundantGrants).toBe(0);
		expect(result.refreshGrants).toBeGreaterThanOrEqual(3); // several expiries were crossed
		expect(result.tokenRequestsPerExpiry).toBe(1);
		expect(result.processesWithValidToken).toBe(result.processes);
	});
});
