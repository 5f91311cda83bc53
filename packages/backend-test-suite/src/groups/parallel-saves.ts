import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { expectHoldsUsers, expectO365Error, expectSameText, usernamesOf } from "../assertions.js";
import { hasCompareAndSet } from "../capabilities.js";
import type { SuiteContext } from "../context.js";
import { msalCacheFixture } from "../fixtures.js";
import { describeGroup } from "../group.js";
import { largeOpaqueValue } from "./opaque-values.js";

/** How many concurrent writers {@link checkParallelWrites} and {@link checkParallelSaves} start. */
export const PARALLEL_WRITERS = 20;

/**
 * Concurrent `write` calls of distinct large values from two instances leave exactly one of the
 * values, complete: never a mix, a truncation or nothing.
 */
export async function checkParallelWrites(
	ctx: SuiteContext,
	options: { writers?: number; bytes?: number } = {},
): Promise<void> {
	const instances = [await ctx.create(), await ctx.create()];
	const values = Array.from(
		{ length: options.writers ?? PARALLEL_WRITERS },
		(_, index) => `${index}:${randomUUID()}:${largeOpaqueValue(options.bytes ?? 64 * 1024)}`,
	);
	await Promise.all(values.map((value, index) => instances[index % instances.length]?.write(value)));

	const stored = await (await ctx.create()).read();
	expect(stored, "read() after concurrent writes").toBeTypeOf("string");
	const claimed = values[Number((stored ?? "").split(":", 1)[0])];
	expect(claimed, "the stored value does not start like any value written").toBeDefined();
	expectSameText(stored, claimed ?? "", "the value left by concurrent write() calls");
}

/**
 * Concurrent `saveToken` calls from different instances, each with a different user, leave a
 * cache that loads (never torn) and holds only complete users. Without compare-and-set the last
 * save wins as a whole; with it, every save that resolved is in the store (a save may reject
 * with `backend_conflict` after losing every retry, having overwritten nothing).
 */
export async function checkParallelSaves(
	ctx: SuiteContext,
	options: { savers?: number } = {},
): Promise<void> {
	const clientId = randomUUID();
	const fixtures = Array.from({ length: options.savers ?? PARALLEL_WRITERS }, () =>
		msalCacheFixture({ users: 1, clientId, padding: 8 * 1024 }),
	);
	const instances = await Promise.all(fixtures.map(() => ctx.create()));
	for (const [index, instance] of instances.entries()) {
		instance.deserialize(fixtures[index]?.json ?? "", { changed: true });
	}
	const results = await Promise.allSettled(instances.map((instance) => instance.saveToken()));
	const compareAndSet = instances[0] !== undefined && hasCompareAndSet(instances[0]);
	for (const result of results) {
		if (result.status === "fulfilled") continue;
		expect(compareAndSet, `a concurrent saveToken() failed: ${String(result.reason)}`).toBe(true);
		expectO365Error(result.reason, ["backend_conflict"], "a concurrent saveToken()");
	}

	const reader = await ctx.create();
	expect(await reader.loadToken(), "loadToken() after concurrent saves").toBe(true);
	const stored = usernamesOf(reader);
	const users = fixtures.flatMap((fixture) => fixture.users);
	const usernames = users.map((user) => user.username);
	expect(stored.length, "users stored after concurrent saves").toBeGreaterThan(0);
	expect(usernames, "the store holds a user nobody saved").toEqual(expect.arrayContaining(stored));
	expectHoldsUsers(
		reader,
		users.filter((user) => stored.includes(user.username)),
		"a user stored by concurrent saves",
	);
	if (compareAndSet) {
		const saved = users.filter((_, index) => results[index]?.status === "fulfilled");
		expect(stored, "a save that resolved was lost").toEqual(
			expect.arrayContaining(saved.map((user) => user.username)),
		);
	} else {
		const winner = fixtures.find((fixture) => fixture.users[0]?.username === stored[0]);
		expect(JSON.parse(reader.serialize()), "the stored cache is one saver's cache, whole").toEqual(
			winner?.document,
		);
	}
}

/** parallelSaves: concurrent writers leave one complete value, never a torn one. */
export function parallelSavesTests(ctx: SuiteContext): void {
	describeGroup(ctx, "parallelSaves", () => {
		it(
			`${PARALLEL_WRITERS} concurrent write() calls from two instances leave exactly one complete value`,
			() => checkParallelWrites(ctx),
			ctx.timeoutMs,
		);
		it(
			`${PARALLEL_WRITERS} concurrent saveToken() calls with different users leave a cache that loads`,
			() => checkParallelSaves(ctx),
			ctx.timeoutMs,
		);
	});
}
