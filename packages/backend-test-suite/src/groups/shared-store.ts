import { expect, it } from "vitest";
import { expectHoldsUsers, usernamesOf } from "../assertions.js";
import type { SuiteContext } from "../context.js";
import { combineCacheDocuments, msalCacheFixture } from "../fixtures.js";
import { describeGroup } from "../group.js";

/** A second instance from `create()` sees what the first one saved. */
export async function checkSecondInstanceSeesSave(ctx: SuiteContext): Promise<void> {
	const fixture = msalCacheFixture();
	const first = await ctx.create();
	const second = await ctx.create();
	expect(second, "create() must return a new instance each call").not.toBe(first);
	first.deserialize(fixture.json, { changed: true });
	await first.saveToken();
	expect(await second.checkToken(), "checkToken() in the second instance").toBe(true);
	expect(await second.loadToken(), "loadToken() in the second instance").toBe(true);
	expectHoldsUsers(second, fixture.users, "second instance");
}

/** A later save by the second instance is what the first one loads next. */
export async function checkFirstInstanceSeesLaterSave(ctx: SuiteContext): Promise<void> {
	const fixture = msalCacheFixture({ users: 1 });
	const first = await ctx.create();
	first.deserialize(fixture.json, { changed: true });
	await first.saveToken();

	const second = await ctx.create();
	await second.loadToken();
	const added = msalCacheFixture({ users: 1 });
	second.deserialize(JSON.stringify(combineCacheDocuments(second.cache, added.document)), { changed: true });
	await second.saveToken();

	expect(await first.loadToken(), "loadToken() in the first instance").toBe(true);
	expect(usernamesOf(first), "accounts the first instance loads").toEqual(
		[...fixture.users, ...added.users].map((user) => user.username).sort(),
	);
	expectHoldsUsers(first, [...fixture.users, ...added.users], "first instance after reloading");
}

/** sharedStore: instances from `create()` share one store, as processes do. */
export function sharedStoreTests(ctx: SuiteContext): void {
	describeGroup(ctx, "sharedStore", () => {
		it(
			"a second instance sees what the first one saved",
			() => checkSecondInstanceSeesSave(ctx),
			ctx.timeoutMs,
		);
		it(
			"the first instance loads what the second one saved later",
			() => checkFirstInstanceSeesLaterSave(ctx),
			ctx.timeoutMs,
		);
	});
}
