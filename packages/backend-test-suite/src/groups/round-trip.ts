import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { expectHoldsUsers, expectNothingStored, expectSameText, usernamesOf } from "../assertions.js";
import { hasCompareAndSet } from "../capabilities.js";
import type { SuiteContext } from "../context.js";
import { msalCacheFixture } from "../fixtures.js";
import { describeGroup } from "../group.js";
import { countWrites } from "../write-counter.js";

/** `loadToken` on an empty store resolves `false`, and `read` finds nothing. */
export async function checkLoadFromEmptyStore(ctx: SuiteContext): Promise<void> {
	const backend = await ctx.create();
	expectNothingStored(await backend.read(), "read() on an empty store");
	expect(await backend.loadToken(), "loadToken() on an empty store").toBe(false);
	expect(backend.hasData, "hasData after loading from an empty store").toBe(false);
}

/** A saved MSAL cache loads in a new instance, and its accessors agree with the saver's. */
export async function checkSavedCacheLoads(ctx: SuiteContext): Promise<void> {
	const fixture = msalCacheFixture({ users: 3 });
	const writer = await ctx.create();
	writer.deserialize(fixture.json, { changed: true });
	expect(await writer.saveToken(), "saveToken() of a changed cache").toBe(true);
	expect(writer.hasStateChanged, "hasStateChanged after saveToken()").toBe(false);

	const reader = await ctx.create();
	expect(await reader.loadToken(), "loadToken() after a save").toBe(true);
	expect(reader.hasData, "hasData after loadToken()").toBe(true);
	expect(reader.hasStateChanged, "hasStateChanged after loadToken()").toBe(false);
	expect(usernamesOf(reader), "the users a new instance loads").toEqual(
		fixture.users.map((user) => user.username).sort(),
	);
	expect(reader.getAllAccounts(), "getAllAccounts() of the loader and the saver").toEqual(
		writer.getAllAccounts(),
	);
	expectHoldsUsers(reader, fixture.users, "after loadToken() in a new instance");
	expect(JSON.parse(reader.serialize()), "the loaded cache document").toEqual(fixture.document);
}

/** Saving another cache replaces the stored one as a whole; so does a second `write`. */
export async function checkSaveOverwrites(ctx: SuiteContext): Promise<void> {
	const first = msalCacheFixture({ users: 2 });
	const second = msalCacheFixture({ users: 1 });
	const writer = await ctx.create();
	writer.deserialize(first.json, { changed: true });
	await writer.saveToken();
	writer.deserialize(second.json, { changed: true });
	await writer.saveToken();

	const reader = await ctx.create();
	expect(await reader.loadToken(), "loadToken() after a second saveToken()").toBe(true);
	expect(usernamesOf(reader), "accounts after overwriting the cache").toEqual([second.users[0]?.username]);
	expectHoldsUsers(reader, second.users, "after an overwrite");

	const old = `old-${randomUUID()}`;
	const replacement = `new-${randomUUID()}`;
	await writer.write(old);
	await writer.write(replacement);
	expectSameText(await reader.read(), replacement, "the second of two write() calls");
}

/**
 * `saveToken` writes nothing when nothing changed since the last load or save, and writes
 * anyway with `force`.
 */
export async function checkUnchangedSaveSkipsWrite(ctx: SuiteContext): Promise<void> {
	const fixture = msalCacheFixture();
	const writer = await ctx.create();
	writer.deserialize(fixture.json, { changed: true });
	await writer.saveToken();
	const versionBefore = hasCompareAndSet(writer) ? (await writer.readVersioned())?.version : undefined;

	const writerWrites = countWrites(writer);
	await writer.saveToken();
	expect(writerWrites.count, "writes by saveToken() right after a save").toBe(0);

	const reader = await ctx.create();
	await reader.loadToken();
	const readerWrites = countWrites(reader);
	await reader.saveToken();
	expect(readerWrites.count, "writes by saveToken() right after loadToken()").toBe(0);
	if (hasCompareAndSet(writer)) {
		expect((await writer.readVersioned())?.version, "stored version after saves that changed nothing").toBe(
			versionBefore,
		);
	}

	await reader.saveToken({ force: true });
	expect(readerWrites.count, "writes by saveToken({ force: true })").toBeGreaterThan(0);
	const check = await ctx.create();
	expect(await check.loadToken(), "loadToken() after a forced save").toBe(true);
	expectHoldsUsers(check, fixture.users, "after a forced save");
}

/** The primitives round-trip directly: what `write` stored, `read` returns, in any instance. */
export async function checkPrimitivesRoundTrip(ctx: SuiteContext): Promise<void> {
	const writer = await ctx.create();
	const value = `primitive-${randomUUID()}`;
	await writer.write(value);
	expectSameText(await writer.read(), value, "read() by the writer");
	expectSameText(await (await ctx.create()).read(), value, "read() by another instance");
	expect(await writer.exists(), "exists() after write()").toBe(true);
}

/** roundTrip: a saved MSAL cache loads back, whole and unchanged, in a new instance. */
export function roundTripTests(ctx: SuiteContext): void {
	describeGroup(ctx, "roundTrip", () => {
		it("loadToken() on an empty store resolves false", () => checkLoadFromEmptyStore(ctx), ctx.timeoutMs);
		it(
			"a saved MSAL cache loads in a new instance and its accessors agree",
			() => checkSavedCacheLoads(ctx),
			ctx.timeoutMs,
		);
		it("saving another cache replaces the stored one", () => checkSaveOverwrites(ctx), ctx.timeoutMs);
		it(
			"saveToken() writes nothing when nothing changed, unless forced",
			() => checkUnchangedSaveSkipsWrite(ctx),
			ctx.timeoutMs,
		);
		it("read() returns what write() stored", () => checkPrimitivesRoundTrip(ctx), ctx.timeoutMs);
	});
}
