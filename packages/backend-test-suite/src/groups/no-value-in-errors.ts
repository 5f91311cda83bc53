import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { captureError, expectNoValueAnywhere, expectO365Error } from "../assertions.js";
import { capabilityTest, createLeasing } from "../capabilities.js";
import type { SuiteContext } from "../context.js";
import { msalCacheFixture } from "../fixtures.js";
import { describeGroup } from "../group.js";
import { expectLeaseTimeout } from "./lease.js";

/** What a third-party cryptography library might throw: its message shows the data it got. */
class CarelessCryptoError extends Error {
	override readonly name = "CarelessCryptoError";
}

/** Unreadable stored values, each carrying `marker` where a careless error message would show it. */
export function corruptValues(marker: string): Array<{ name: string; value: string }> {
	return [
		{ name: "truncated JSON", value: `{"Account": {"${marker}": {"username": "${marker}"` },
		{ name: "JSON of the wrong shape", value: `["${marker}", {"Account": "${marker}"}]` },
		{ name: "not JSON at all", value: `${marker} is not a token cache` },
	];
}

/**
 * A corrupt stored value makes `loadToken` reject with a typed error (`backend_corrupt`, or
 * `backend_crypto` when the instance decrypts) that never shows it, causes and inspect output included.
 */
export async function checkCorruptValueNotInError(ctx: SuiteContext): Promise<void> {
	const marker = randomUUID();
	for (const corrupt of corruptValues(marker)) {
		await ctx.reset();
		await (await ctx.create()).write(corrupt.value);
		const error = await captureError(async () => (await ctx.create()).loadToken(), `loading ${corrupt.name}`);
		expectO365Error(error, ["backend_corrupt", "backend_crypto"], `loading ${corrupt.name}`);
		expectNoValueAnywhere(error, [marker], `the error for ${corrupt.name}`);
	}
}

/**
 * A `lease_timeout` error never shows the stored value or any of its tokens: not in its message,
 * stack, JSON, `util.inspect` output or own properties, and not anywhere in its `cause` chain
 * (the backend builds this error itself: nothing justifies quoting what is stored).
 */
export async function checkLeaseTimeoutNotInError(ctx: SuiteContext): Promise<void> {
	const fixture = msalCacheFixture({ users: 1 });
	const holder = await createLeasing(ctx);
	holder.deserialize(fixture.json, { changed: true });
	await holder.saveToken();
	const stored = await holder.read();
	const user = fixture.users[0];
	const secrets = user === undefined ? [] : [user.refreshToken, user.accessToken, user.idToken];
	const lease = await holder.acquireLease({ ttlMs: 10_000, waitMs: 0 });
	try {
		const error = await expectLeaseTimeout(await createLeasing(ctx), 50, "acquiring a held lease");
		expectNoValueAnywhere(
			error,
			typeof stored === "string" ? [...secrets, stored] : secrets,
			"the lease_timeout error",
		);
	} finally {
		await lease.release();
	}
}

/**
 * A cryptography manager that fails (even one whose own error shows the data) makes `loadToken`
 * and `saveToken` reject with `backend_crypto`, showing neither the stored nor the cached value.
 */
export async function checkCryptoFailureNotInError(ctx: SuiteContext): Promise<void> {
	const marker = randomUUID();
	const reader = await ctx.create();
	await reader.write(`ciphertext-${marker}`);
	reader.cryptographyManager = {
		encrypt: (plaintext) => plaintext,
		decrypt: (ciphertext) => {
			throw new CarelessCryptoError(`bad key for ${ciphertext}`);
		},
	};
	const loadError = await captureError(() => reader.loadToken(), "loadToken() with a failing decrypt");
	expectO365Error(loadError, ["backend_crypto"], "loadToken() with a failing decrypt");
	expectNoValueAnywhere(loadError, [marker], "the decrypt error");
	expect(await (await ctx.create()).read(), "a failed decrypt must leave the stored value").toBe(
		`ciphertext-${marker}`,
	);

	await ctx.reset();
	const fixture = msalCacheFixture({ users: 1 });
	const writer = await ctx.create();
	writer.cryptographyManager = {
		encrypt: async (plaintext) => {
			throw new CarelessCryptoError(`cannot encrypt ${plaintext}`);
		},
		decrypt: (ciphertext) => ciphertext,
	};
	writer.deserialize(fixture.json, { changed: true });
	const saveError = await captureError(() => writer.saveToken(), "saveToken() with a failing encrypt");
	expectO365Error(saveError, ["backend_crypto"], "saveToken() with a failing encrypt");
	const user = fixture.users[0];
	expectNoValueAnywhere(
		saveError,
		user === undefined ? [] : [user.homeAccountId, user.username, user.refreshToken],
		"the encrypt error",
	);
}

/** noValueInErrors: errors say what went wrong without ever showing what is stored. */
export function noValueInErrorsTests(ctx: SuiteContext): void {
	describeGroup(ctx, "noValueInErrors", () => {
		it(
			"a corrupt stored value is reported with a typed error that does not show it",
			() => checkCorruptValueNotInError(ctx),
			ctx.timeoutMs,
		);
		capabilityTest(
			ctx,
			"lease",
			"a lease_timeout error shows neither the stored value nor its tokens, even in its cause or inspect output",
			checkLeaseTimeoutNotInError,
		);
		it(
			"a failing cryptography manager is reported as backend_crypto without the value",
			() => checkCryptoFailureNotInError(ctx),
			ctx.timeoutMs,
		);
	});
}
