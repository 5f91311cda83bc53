/** Signing the user in (unless a stored token does) and showing who signed in, from GET /me. */
import { Account, type AuthenticateOptions, AuthenticationError, type TokenBackend } from "@o365/core";
import type { Demo } from "./demo.js";

export const USER_SCOPES = ["basic"] as const;

/**
 * Signs in with `options` unless the token backend already holds a usable token.
 * @returns how the user signed in, for the message; `undefined` when the sign-in was aborted.
 */
export async function signInUser(
	account: Account,
	options: AuthenticateOptions = {},
): Promise<"silently (from the stored token)" | "interactively" | undefined> {
	if (await account.isAuthenticated()) return "silently (from the stored token)";
	const signedIn = await account.authenticate({ scopes: [...USER_SCOPES], ...options });
	return signedIn ? "interactively" : undefined;
}

export interface GraphUser {
	displayName: string;
	userPrincipalName: string;
}

/** GET /me (the token is refreshed on the way if it has expired), printed as the examples do. */
export async function printSignedInUser(account: Account, how = ""): Promise<GraphUser> {
	const me = (await (await account.con.get("me")).json()) as GraphUser;
	console.log(`Signed in${how ? ` ${how}` : ""} as ${me.displayName} <${me.userPrincipalName}>.`);
	return me;
}

/**
 * What every backend example does with its backend: signs the demo user in on the console (the
 * test kit's browser consents offline) unless the backend holds a token, shows GET /me, and says
 * where the token is (`storedIn`, or a function for what is known only after the save).
 */
export async function showUserWithBackend(
	demo: Demo,
	tokenBackend: TokenBackend,
	storedIn: string | (() => string),
): Promise<Account> {
	const account = new Account(demo.credentials, { ...demo.accountOptions, tokenBackend });
	const how = await signInUser(account, demo.handleConsent ? { handleConsent: demo.handleConsent } : {});
	if (how === undefined)
		throw new AuthenticationError(
			"authorization_denied",
			"the sign-in was aborted; run again and paste the URL the browser ended on.",
		);
	await printSignedInUser(account, how);
	console.log(`Token stored in ${typeof storedIn === "string" ? storedIn : storedIn()}.`);
	return account;
}
