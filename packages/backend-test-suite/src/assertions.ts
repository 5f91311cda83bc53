import { inspect } from "node:util";
import { O365Error, type O365ErrorCode, type TokenBackend } from "@o365/core";
import { expect } from "vitest";
import type { FixtureUser } from "./fixtures.js";

/**
 * Says how `actual` differs from `expected` without printing either (a 200 KiB value makes an
 * unreadable diff): lengths in characters and UTF-8 bytes, and the first differing offset.
 * `undefined` when they are identical.
 */
export function describeDifference(actual: string | undefined | null, expected: string): string | undefined {
	if (actual === expected) return undefined;
	if (actual === undefined || actual === null) return `nothing was stored (read returned ${actual})`;
	if (typeof actual !== "string") return `read returned a ${typeof actual}, not a string`;
	let index = 0;
	while (index < actual.length && index < expected.length && actual[index] === expected[index]) index += 1;
	return (
		`expected ${expected.length} characters (${Buffer.byteLength(expected)} UTF-8 bytes), ` +
		`got ${actual.length} (${Buffer.byteLength(actual)} bytes); first difference at character ${index}: ` +
		`expected ${JSON.stringify(expected.slice(index, index + 12))}, got ${JSON.stringify(actual.slice(index, index + 12))}`
	);
}

/** Fails unless `actual` is exactly `expected`, character for character and byte for byte. */
export function expectSameText(actual: string | undefined | null, expected: string, what: string): void {
	expect(describeDifference(actual, expected), `${what} must come back byte-identical`).toBeUndefined();
	expect(
		Buffer.from(actual ?? "", "utf8").equals(Buffer.from(expected, "utf8")),
		`${what} must come back with the same UTF-8 bytes`,
	).toBe(true);
}

/** Fails unless `read()` or `readVersioned()` said "nothing stored": `undefined`, or `null` as Redis clients answer. */
export function expectNothingStored(actual: unknown, what: string): void {
	expect(
		actual === undefined || actual === null,
		`${what} must find nothing stored (undefined or null)`,
	).toBe(true);
}

/** Runs `action` and returns what it threw or rejected with; fails if it succeeded. */
export async function captureError(action: () => unknown, what: string): Promise<unknown> {
	try {
		await action();
	} catch (error) {
		return error;
	}
	return expect.unreachable(`${what} should have failed`);
}

/** Fails unless `error` is an `O365Error` with one of `codes`. */
export function expectO365Error(error: unknown, codes: readonly O365ErrorCode[], what: string): O365Error {
	// Names what came instead, never shows it: a resolved value may be a token.
	const got = error instanceof Error ? `${error.name}: ${error.message}` : `a ${typeof error}`;
	expect(error, `${what}: expected an O365Error, got ${got}`).toBeInstanceOf(O365Error);
	const typed = error as O365Error;
	expect(codes, `${what}: unexpected error code (message: ${typed.message})`).toContain(typed.code);
	return typed;
}

/** Each error of the `cause` chain after `error` (at most 20, in case of a cycle). */
function causesOf(error: unknown): unknown[] {
	const causes: unknown[] = [];
	let current = error;
	while (current instanceof Error && current.cause !== undefined && causes.length < 20) {
		current = current.cause;
		causes.push(current);
	}
	return causes;
}

function jsonOf(value: unknown): string {
	try {
		return JSON.stringify(value) ?? "";
	} catch {
		return "";
	}
}

/**
 * Fails if any of `values` appears anywhere in the error: its message, stack, `String(error)`,
 * `JSON.stringify(error)`, `util.inspect` (own properties, hidden ones included, and the whole
 * `cause` chain), and each cause's message, stack and JSON.
 */
export function expectNoValueAnywhere(error: unknown, values: readonly string[], what: string): void {
	const places: Array<[string, string]> = [
		["message", error instanceof Error ? error.message : ""],
		["stack", error instanceof Error ? (error.stack ?? "") : ""],
		["String(error)", String(error)],
		["JSON.stringify(error)", jsonOf(error)],
		["util.inspect(error)", inspect(error, { depth: 20, showHidden: true })],
	];
	for (const [index, cause] of causesOf(error).entries()) {
		const place = `cause #${index + 1}`;
		places.push([
			`${place} message and stack`,
			cause instanceof Error ? `${cause.message}\n${cause.stack}` : "",
		]);
		places.push([`${place} as text`, `${String(cause)}\n${jsonOf(cause)}`]);
	}
	for (const value of values) {
		for (const [place, text] of places) {
			expect(text.includes(value), `${what}: a stored value or token leaked into the error's ${place}`).toBe(
				false,
			);
		}
	}
}

/** The usernames of every account an instance holds in memory, sorted. */
export function usernamesOf(backend: TokenBackend): string[] {
	return backend
		.getAllAccounts()
		.map((account) => account.username)
		.sort();
}

/**
 * Fails unless the instance's accessors find each user's account and tokens. Secrets are
 * compared, never printed.
 */
export function expectHoldsUsers(backend: TokenBackend, users: readonly FixtureUser[], what: string): void {
	for (const user of users) {
		const query = { username: user.username };
		expect(backend.getAccount(query)?.home_account_id, `${what}: getAccount`).toBe(user.homeAccountId);
		expect(backend.getRefreshToken(query)?.secret === user.refreshToken, `${what}: getRefreshToken`).toBe(
			true,
		);
		expect(backend.getAccessToken(query)?.secret === user.accessToken, `${what}: getAccessToken`).toBe(true);
		expect(backend.getIdToken(query)?.secret === user.idToken, `${what}: getIdToken`).toBe(true);
		expect(backend.getTokenScopes(query), `${what}: getTokenScopes`).toEqual(user.target.split(" "));
	}
}
