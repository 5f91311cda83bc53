/** Signing the user in (unless a stored token does) and showing who signed in, from GET /me. */
import type { Account, AuthenticateOptions } from "@o365/core";

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
