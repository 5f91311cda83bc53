/**
 * The smoke test every backend example shares: a first run signs in and stores the token in the
 * backend (read back here from the server itself), a second run signs in silently from it, and
 * both call Graph.
 */
import { expect } from "vitest";
import { DEMO_USER } from "../test-kit.js";
import { runExample } from "./run-example.js";

/** The usernames an MSAL token cache (as a backend stores it) holds a refresh token for. */
export function usernamesWithRefreshToken(serialized: string): string[] {
	const cache = JSON.parse(serialized) as {
		Account?: Record<string, { home_account_id: string; username: string }>;
		RefreshToken?: Record<string, { home_account_id: string; secret: string }>;
	};
	const holders = new Set(
		Object.values(cache.RefreshToken ?? {})
			.filter((token) => token.secret !== "")
			.map((token) => token.home_account_id),
	);
	return Object.values(cache.Account ?? {})
		.filter((account) => holders.has(account.home_account_id))
		.map((account) => account.username);
}

/**
 * @param readStored reads the stored token cache straight from the backend's server (not through the backend)
 * @param storedIn what the example prints after "Token stored in"
 */
export async function expectExampleStoresTheToken(options: {
	exampleDir: string;
	env?: Record<string, string>;
	readStored: () => Promise<string | undefined>;
	storedIn: string | RegExp;
}): Promise<void> {
	const user = `${DEMO_USER.name} <${DEMO_USER.username}>`;
	const first = await runExample(options.exampleDir, options.env);
	expect(first.stderr).toBe("");
	expect(first.code).toBe(0);
	expect(first.stdout).toContain(`Signed in interactively as ${user}.`);
	expect(first.stdout).toMatch(
		typeof options.storedIn === "string" ? `Token stored in ${options.storedIn}.` : options.storedIn,
	);
	const stored = await options.readStored();
	expect(stored, "the backend's server holds no token after the first run").toBeTypeOf("string");
	expect(usernamesWithRefreshToken(stored as string)).toEqual([DEMO_USER.username]);

	const second = await runExample(options.exampleDir, options.env);
	expect(second.stderr).toBe("");
	expect(second.code).toBe(0);
	expect(second.stdout).toContain(`Signed in silently (from the stored token) as ${user}.`);
}
