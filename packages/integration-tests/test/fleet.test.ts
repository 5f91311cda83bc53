import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import "./provided-context.js";
import { createPostgresStore, createSqliteStore, type FleetResult, runFleet } from "../src/index.js";

function expectOneRefreshPerExpiry(result: FleetResult) {
	expect(result.errors).toEqual([]);
	expect(result.failedGrants).toBe(0); // zero invalid_grant
	expect(result.redundantGrants).toBe(0);
	expect(result.refreshGrants).toBeGreaterThanOrEqual(3); // several expiries were crossed
	expect(result.tokenRequestsPerExpiry).toBe(1);
	expect(result.processesWithValidToken).toBe(result.processes);
}

async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
	const dir = await mkdtemp(join(tmpdir(), "o365-fleet-"));
	try {
		return await use(dir);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

describe("8 processes sharing one token store, rotating refresh tokens", () => {
	it("file system: exactly one refresh-token grant per expiry across the fleet", async () => {
		const result = await withTempDir((dir) => runFleet({ store: { kind: "fs", tokenPath: dir } }));
		console.info("fleet fs", JSON.stringify(result));
		expectOneRefreshPerExpiry(result);
	});

	it("SQLite through Prisma: exactly one refresh-token grant per expiry across the fleet", async () => {
		const result = await withTempDir(async (dir) => {
			const file = await createSqliteStore(dir);
			return runFleet({ store: { kind: "prisma-sqlite", file, key: "fleet-user" } });
		});
		console.info("fleet sqlite", JSON.stringify(result));
		expectOneRefreshPerExpiry(result);
	});

	it("PostgreSQL through Prisma: exactly one refresh-token grant per expiry across the fleet", async () => {
		const database = await createPostgresStore(inject("postgresUrl"));
		try {
			const result = await runFleet({
				store: { kind: "prisma-postgres", url: database.url, key: "fleet-user" },
			});
			console.info("fleet postgres", JSON.stringify(result));
			expectOneRefreshPerExpiry(result);
		} finally {
			await database.drop();
		}
	});
});
