import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { expectNothingStored } from "../assertions.js";
import type { SuiteContext } from "../context.js";
import { msalCacheFixture } from "../fixtures.js";
import { describeGroup } from "../group.js";

/** `checkToken` follows the store: `false`, then `true` once a token is saved (seen by any instance). */
export async function checkTokenTracksSaves(ctx: SuiteContext): Promise<void> {
	const backend = await ctx.create();
	expect(await backend.checkToken(), "checkToken() on an empty store").toBe(false);
	backend.deserialize(msalCacheFixture().json, { changed: true });
	await backend.saveToken();
	expect(await backend.checkToken(), "checkToken() after saveToken()").toBe(true);
	expect(await (await ctx.create()).checkToken(), "checkToken() in another instance").toBe(true);
}

/** `deleteToken` resolves `true` when it removed a token, then `false`; nothing loads afterwards. */
export async function checkDeleteToken(ctx: SuiteContext): Promise<void> {
	const backend = await ctx.create();
	backend.deserialize(msalCacheFixture().json, { changed: true });
	await backend.saveToken();
	const other = await ctx.create();
	expect(await other.deleteToken(), "deleteToken() of a stored token").toBe(true);
	expect(await other.deleteToken(), "deleteToken() when nothing is stored").toBe(false);
	expect(await backend.checkToken(), "checkToken() after deleteToken()").toBe(false);
	expect(await (await ctx.create()).loadToken(), "loadToken() in a new instance after deleteToken()").toBe(
		false,
	);
	expect(await backend.loadToken(), "loadToken() in the saver after deleteToken()").toBe(false);
}

/** The primitives agree: `exists` follows `write` and `remove`; `remove` says whether it removed. */
export async function checkPrimitivesRemove(ctx: SuiteContext): Promise<void> {
	const backend = await ctx.create();
	expect(await backend.exists(), "exists() on an empty store").toBe(false);
	expect(await backend.remove(), "remove() on an empty store").toBe(false);
	await backend.write(`value-${randomUUID()}`);
	expect(await backend.exists(), "exists() after write()").toBe(true);
	expect(await backend.remove(), "remove() of a stored value").toBe(true);
	expect(await backend.exists(), "exists() after remove()").toBe(false);
	expectNothingStored(await backend.read(), "read() after remove()");
	expect(await backend.remove(), "remove() a second time").toBe(false);
}

/** deleteAndCheck: `checkToken` and `deleteToken` report the store's state truthfully. */
export function deleteAndCheckTests(ctx: SuiteContext): void {
	describeGroup(ctx, "deleteAndCheck", () => {
		it(
			"checkToken() is false until a token is saved, then true",
			() => checkTokenTracksSaves(ctx),
			ctx.timeoutMs,
		);
		it(
			"deleteToken() resolves true, then false, and nothing loads afterwards",
			() => checkDeleteToken(ctx),
			ctx.timeoutMs,
		);
		it("exists() and remove() follow write() and remove()", () => checkPrimitivesRemove(ctx), ctx.timeoutMs);
	});
}
