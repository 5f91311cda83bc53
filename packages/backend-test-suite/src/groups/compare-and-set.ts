import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { expectHoldsUsers, expectNothingStored, expectSameText, usernamesOf } from "../assertions.js";
import { type CompareAndSetBackend, capabilityTest, createCompareAndSet } from "../capabilities.js";
import type { SuiteContext } from "../context.js";
import { combineCacheDocuments, type FixtureUser, msalCacheFixture } from "../fixtures.js";
import { describeGroup } from "../group.js";

/** How many writers race from one version in {@link checkRaceFromSameVersion}. */
export const CAS_RACERS = 10;

async function storedVersion(backend: CompareAndSetBackend): Promise<string | undefined> {
	return (await backend.readVersioned())?.version;
}

/** `writeIfVersion(value, null)` creates the value only when nothing is stored. */
export async function checkCreateOnlyWhenAbsent(ctx: SuiteContext): Promise<void> {
	const backend = await createCompareAndSet(ctx);
	expectNothingStored(await backend.readVersioned(), "readVersioned() on an empty store");
	const first = `first-${randomUUID()}`;
	const version = await backend.writeIfVersion(first, null);
	expect(version, "writeIfVersion(value, null) on an empty store").toBeTypeOf("string");
	const stored = await backend.readVersioned();
	expectSameText(stored?.value, first, "the created value");
	expect(stored?.version, "readVersioned() version after the create").toBe(version);

	const other = await createCompareAndSet(ctx);
	expect(await other.writeIfVersion(`second-${randomUUID()}`, null), "a second create").toBeUndefined();
	expectSameText(await backend.read(), first, "the value after a refused create");
}

/** With the current version the write succeeds and resolves a new, different version. */
export async function checkCurrentVersionWins(ctx: SuiteContext): Promise<void> {
	const writer = await createCompareAndSet(ctx);
	await writer.write(`base-${randomUUID()}`);
	const reader = await createCompareAndSet(ctx);
	const version = await storedVersion(reader);
	expect(version, "readVersioned() after write()").toBeTypeOf("string");
	expect(await storedVersion(reader), "a version must not change while the value does not").toBe(version);

	const next = `next-${randomUUID()}`;
	const newVersion = await reader.writeIfVersion(next, version ?? null);
	expect(newVersion, "writeIfVersion() with the current version").toBeTypeOf("string");
	expect(newVersion, "the version after a write").not.toBe(version);
	const stored = await writer.readVersioned();
	expectSameText(stored?.value, next, "the value written with the current version");
	expect(stored?.version, "readVersioned() after writeIfVersion()").toBe(newVersion);
}

/**
 * A stale version is refused (`undefined`, nothing written): after another `writeIfVersion`,
 * after a plain `write`, and after `remove`.
 */
export async function checkStaleVersionRefused(ctx: SuiteContext): Promise<void> {
	const first = await createCompareAndSet(ctx);
	const second = await createCompareAndSet(ctx);
	const original = await first.writeIfVersion(`v1-${randomUUID()}`, null);
	const current = `v2-${randomUUID()}`;
	expect(
		await second.writeIfVersion(current, original ?? null),
		"a write with the current version",
	).toBeTypeOf("string");
	expect(
		await first.writeIfVersion(`stale-${randomUUID()}`, original ?? null),
		"writeIfVersion() with a version another writeIfVersion() replaced",
	).toBeUndefined();
	expectSameText(await first.read(), current, "the value after a refused stale write");

	const before = await storedVersion(first);
	const plain = `plain-${randomUUID()}`;
	await second.write(plain);
	expect(
		await first.writeIfVersion(`stale-${randomUUID()}`, before ?? null),
		"writeIfVersion() with a version a plain write() replaced",
	).toBeUndefined();
	expectSameText(await first.read(), plain, "the value after a refused stale write");

	const beforeRemove = await storedVersion(first);
	await second.remove();
	expect(
		await first.writeIfVersion(`stale-${randomUUID()}`, beforeRemove ?? null),
		"writeIfVersion() with the version of a removed value",
	).toBeUndefined();
	expectNothingStored(await first.read(), "read() after a refused write over a removed value");
}

/** Writers racing from the same version (or all creating): exactly one succeeds. */
export async function checkRaceFromSameVersion(
	ctx: SuiteContext,
	options: { racers?: number } = {},
): Promise<void> {
	const racers = await Promise.all(
		Array.from({ length: options.racers ?? CAS_RACERS }, () => createCompareAndSet(ctx)),
	);
	for (const from of ["nothing stored", "the same version"] as const) {
		if (from === "the same version") await racers[0]?.write(`base-${randomUUID()}`);
		const version = from === "nothing stored" ? null : ((await racers[0]?.readVersioned())?.version ?? null);
		const values = racers.map(() => `racer-${randomUUID()}`);
		const results = await Promise.all(
			racers.map((racer, index) => racer.writeIfVersion(values[index] ?? "", version)),
		);
		const winners = results.flatMap((result, index) => (result === undefined ? [] : [index]));
		expect(winners.length, `writers racing from ${from} that succeeded`).toBe(1);
		const stored = await racers[0]?.readVersioned();
		expectSameText(stored?.value, values[winners[0] ?? 0] ?? "", "the stored value after the race");
		expect(stored?.version, "the stored version after the race").toBe(results[winners[0] ?? 0]);
	}
}

/**
 * `saveToken` from two instances that loaded the same version, each adding a different user,
 * leaves both users stored (core merges on conflict); with the saves in turn and at once.
 */
export async function checkSavesMerge(ctx: SuiteContext): Promise<void> {
	const clientId = randomUUID();
	for (const order of ["one after the other", "at once"] as const) {
		await ctx.reset();
		const base = msalCacheFixture({ users: 1, clientId });
		const seed = await createCompareAndSet(ctx);
		seed.deserialize(base.json, { changed: true });
		await seed.saveToken();

		const first = await createCompareAndSet(ctx);
		const second = await createCompareAndSet(ctx);
		expect(await first.loadToken(), "loadToken() in the first of two savers").toBe(true);
		expect(await second.loadToken(), "loadToken() in the second of two savers").toBe(true);
		const added: FixtureUser[] = [];
		for (const instance of [first, second]) {
			const user = msalCacheFixture({ users: 1, clientId });
			added.push(...user.users);
			instance.deserialize(JSON.stringify(combineCacheDocuments(instance.cache, user.document)), {
				changed: true,
			});
		}
		if (order === "at once") {
			await Promise.all([first.saveToken(), second.saveToken()]);
		} else {
			await first.saveToken();
			await second.saveToken();
		}

		const reader = await createCompareAndSet(ctx);
		expect(await reader.loadToken(), `loadToken() after two saves ${order}`).toBe(true);
		const expected = [...base.users, ...added];
		expect(usernamesOf(reader), `users after two saves ${order} (a lost update?)`).toEqual(
			expected.map((user) => user.username).sort(),
		);
		expectHoldsUsers(reader, expected, `after two saves ${order}`);
	}
}

/** compareAndSet: conditional writes never lose an update (only when the backend has them). */
export function compareAndSetTests(ctx: SuiteContext): void {
	describeGroup(ctx, "compareAndSet", () => {
		const test = (title: string, check: (ctx: SuiteContext) => Promise<void>) =>
			capabilityTest(ctx, "compareAndSet", title, check);
		test("writeIfVersion(value, null) creates only when nothing is stored", checkCreateOnlyWhenAbsent);
		test("writeIfVersion() with the current version succeeds with a new version", checkCurrentVersionWins);
		test("writeIfVersion() with a stale version is refused and writes nothing", checkStaleVersionRefused);
		test(`${CAS_RACERS} writers racing from one version: exactly one succeeds`, checkRaceFromSameVersion);
		test("saveToken() from two instances that loaded the same version keeps both users", checkSavesMerge);
	});
}
