import { randomUUID } from "node:crypto";
import { msalCacheFixture } from "@o365/backend-test-suite";
import { expect, it } from "vitest";
import type { TestDatabase } from "./databases.js";
import { useDatabase } from "./use-database.js";

/** Conditional writes on the row's version, against a real database. */
export function compareAndSetTests(open: () => Promise<TestDatabase>): void {
	const fx = useDatabase(open);

	it("writeIfVersion(null) creates the value only while nothing is stored", async () => {
		const backend = fx.backend();
		const version = await backend.writeIfVersion("first", null);
		expect(version).toBe("1");
		expect(await backend.writeIfVersion("second", null)).toBeUndefined();
		expect(await backend.readVersioned()).toEqual({ value: "first", version: "1" });
	});

	it("refuses a stale version and writes nothing", async () => {
		const backend = fx.backend();
		const v1 = (await backend.writeIfVersion("first", null))!;
		const v2 = await backend.writeIfVersion("second", v1);
		expect(v2).toBeDefined();
		expect(v2).not.toBe(v1);
		expect(await backend.writeIfVersion("stale", v1)).toBeUndefined();
		expect(await backend.writeIfVersion("garbage", "not-a-version")).toBeUndefined();
		expect(await backend.writeIfVersion("huge", "99999999999")).toBeUndefined();
		expect(await backend.readVersioned()).toEqual({ value: "second", version: v2 });
	});

	it("lets exactly one of eight racing writers over the same version win", async () => {
		const v1 = (await fx.backend().writeIfVersion("base", null))!;
		const results = await Promise.all(
			Array.from({ length: 8 }, (_, n) => fx.backend().writeIfVersion(`writer ${n}`, v1)),
		);
		const winners = results.flatMap((version, n) => (version === undefined ? [] : [n]));
		expect(winners).toHaveLength(1);
		expect(await fx.backend().read()).toBe(`writer ${winners[0]}`);
	});

	it("lets exactly one of eight racing first writers (expected null) win", async () => {
		const results = await Promise.all(
			Array.from({ length: 8 }, (_, n) => fx.backend().writeIfVersion(`writer ${n}`, null)),
		);
		expect(results.filter((version) => version !== undefined)).toEqual(["1"]);
		expect(await fx.db.rows()).toHaveLength(1);
	});

	it("never reuses a version after remove (no ABA): a version read before the remove stays stale", async () => {
		const backend = fx.backend();
		const before = (await backend.writeIfVersion("before", null))!;
		await backend.remove();
		expect(await backend.readVersioned()).toBeUndefined();
		const after = await backend.writeIfVersion("after", null);
		expect(after).toBeDefined();
		expect(after).not.toBe(before);
		expect(await backend.writeIfVersion("stale", before)).toBeUndefined();
		expect(await backend.read()).toBe("after");
	});

	it("an unconditional write makes an earlier version stale", async () => {
		const backend = fx.backend();
		const v1 = (await backend.writeIfVersion("first", null))!;
		await backend.write("overwritten");
		expect(await backend.writeIfVersion("stale", v1)).toBeUndefined();
	});

	it("merges two processes' concurrent saves instead of overwriting (core's compare-and-set save)", async () => {
		const app = { users: 1, clientId: randomUUID(), tenantId: randomUUID() };
		const [aliceCache, bobCache] = [msalCacheFixture(app), msalCacheFixture(app)];
		const [alice, bob] = [aliceCache.users[0]!, bobCache.users[0]!];
		const one = fx.backend();
		const two = fx.backend();
		await Promise.all([one.loadToken(), two.loadToken()]);
		one.deserialize(aliceCache.json, { changed: true });
		two.deserialize(bobCache.json, { changed: true });
		await Promise.all([one.saveToken(), two.saveToken()]);
		const reader = fx.backend();
		await reader.loadToken();
		expect(reader.getRefreshToken({ username: alice.username })?.secret).toBe(alice.refreshToken);
		expect(reader.getRefreshToken({ username: bob.username })?.secret).toBe(bob.refreshToken);
		expect(await fx.db.rows()).toHaveLength(1);
	});
}
