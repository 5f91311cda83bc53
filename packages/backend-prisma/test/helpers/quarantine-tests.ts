import { msalCacheFixture } from "@o365/backend-test-suite";
import { TokenBackendError } from "@o365/core";
import { expect, it } from "vitest";
import type { TestDatabase } from "./databases.js";
import { useDatabase } from "./use-database.js";

const GARBAGE = '{"Account": {"evidence-marker-9K';

/** quarantine(): a corrupt value moves to its own row, never lost, never written over. */
export function quarantineTests(open: () => Promise<TestDatabase>): void {
	const fx = useDatabase(open);

	it("moves a corrupt value to the row <key>.corrupt-<time>, keeps the lease, and the next save starts clean", async () => {
		const backend = fx.backend();
		await backend.write(GARBAGE);
		const lease = await backend.acquireLease({ ttlMs: 10_000, waitMs: 0 });
		const error = await backend.loadToken().catch((caught: unknown) => caught);
		expect(error, "loadToken() of a corrupt value").toBeInstanceOf(TokenBackendError);
		expect(error, "loadToken() of a corrupt value").toMatchObject({ code: "backend_corrupt" });
		const message = (error as Error).message;
		expect(message, "the error says where the value went").toMatch(
			/prisma\.o365Token\["default\.corrupt-\d{4}-\d{2}-\d{2}T\d{6}\.\d{3}Z"\]/,
		);
		expect(message, "the error never shows the value").not.toContain("evidence-marker-9K");

		const rows = await fx.db.rows();
		expect(
			rows.map((row) => row.id),
			"the rows after the move",
		).toEqual(["default", expect.stringMatching(/^default\.corrupt-/)]);
		expect(rows[0], "the token row keeps no value, and its lease").toMatchObject({
			value: null,
			leaseOwner: expect.any(String),
		});
		expect(rows[1]?.value, "the corrupt value, kept as evidence").toBe(GARBAGE);
		expect(message, "the error names the row the value went to").toContain(rows[1]?.id);
		await lease.release();

		const cache = msalCacheFixture({ users: 1 });
		backend.deserialize(cache.json, { changed: true });
		expect(await backend.saveToken(), "the save after the move").toBe(true);
		const reader = fx.backend();
		expect(await reader.loadToken(), "the saved cache loads").toBe(true);
		expect(reader.getRefreshToken()?.secret === cache.users[0]?.refreshToken, "the saved refresh token").toBe(
			true,
		);
		expect((await fx.db.rows())[1]?.value, "the evidence is still there").toBe(GARBAGE);
	});

	it("a save over a corrupt value it never loaded moves the value aside first", async () => {
		await fx.backend().write(GARBAGE);
		const cache = msalCacheFixture({ users: 1 });
		const backend = fx.backend();
		backend.deserialize(cache.json, { changed: true });
		expect(await backend.saveToken(), "the save").toBe(true);
		const rows = await fx.db.rows();
		expect(
			rows.map((row) => row.value),
			"the saved cache and the evidence",
		).toEqual([expect.any(String), GARBAGE]);
	});

	it("leaves a value saved since it was read, and two moves never collide", async () => {
		const backend = fx.backend();
		await backend.write(GARBAGE);
		await backend.read();
		await fx.backend().write("saved since");
		expect(await backend.quarantine(), "quarantine() of a value replaced since it was read").toBeUndefined();
		expect(
			(await fx.db.rows()).map((row) => row.value),
			"the rows",
		).toEqual(["saved since"]);

		const places = new Set<string | undefined>();
		for (let round = 0; round < 3; round++) {
			await backend.write(`${GARBAGE}${round}`);
			await backend.read();
			places.add(await backend.quarantine());
		}
		expect(places.size, "three moves, three places").toBe(3);
		const aside = (await fx.db.rows()).filter((row) => row.id.startsWith("default.corrupt-"));
		expect(aside.map((row) => row.value).sort(), "every moved value is kept").toEqual(
			[0, 1, 2].map((round) => `${GARBAGE}${round}`),
		);
	});

	it("fits the place of a 191-character key into the id column", async () => {
		const key = "k".repeat(191);
		const backend = fx.backend({ key });
		await backend.write(GARBAGE);
		await backend.read();
		const place = await backend.quarantine();
		const aside = (await fx.db.rows()).find((row) => row.value === GARBAGE);
		expect(aside?.id.length, "the id of the row the value went to").toBeLessThanOrEqual(191);
		expect(place, "quarantine() names that row").toContain(aside?.id);
	});
}
