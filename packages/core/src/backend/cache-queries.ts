/**
 * Read-only questions about a cache document, answered deterministically: usernames match
 * case-insensitively (as MSAL does), and where a user holds several tokens the one that lives
 * longest wins, never "whichever the JSON listed first".
 */

import {
	type CacheDocument,
	type CachedAccount,
	type CachedCredential,
	expiresAtMs,
	splitTarget,
} from "./cache-json.js";

export function normalizeUsername(username: string): string {
	return username.trim().toLowerCase();
}

/** Accounts ordered by username, then home account id, so "the first account" is stable. */
export function listAccounts(cache: CacheDocument): CachedAccount[] {
	return Object.values(cache.Account).sort(
		(a, b) =>
			normalizeUsername(a.username).localeCompare(normalizeUsername(b.username)) ||
			a.home_account_id.localeCompare(b.home_account_id),
	);
}

export function findAccount(
	cache: CacheDocument,
	query: { username?: string | undefined; homeAccountId?: string | undefined },
): CachedAccount | undefined {
	const accounts = listAccounts(cache);
	if (query.homeAccountId !== undefined) {
		return accounts.find((account) => account.home_account_id === query.homeAccountId);
	}
	if (query.username !== undefined) {
		const wanted = normalizeUsername(query.username);
		return accounts.find((account) => normalizeUsername(account.username) === wanted);
	}
	return accounts[0];
}

/**
 * Which `home_account_id` a username selects: that user's; without a username, the app's own
 * tokens (empty id) when only those exist, else the first account. `undefined` = unknown user.
 */
export function homeAccountIdFor(cache: CacheDocument, username: string | undefined): string | undefined {
	if (username !== undefined) return findAccount(cache, { username })?.home_account_id;
	const first = findAccount(cache, {});
	if (first !== undefined) return first.home_account_id;
	return Object.values(cache.AccessToken).some((entry) => !entry.home_account_id) ? "" : undefined;
}

function credentialsOf(
	section: Record<string, CachedCredential>,
	homeAccountId: string | undefined,
): CachedCredential[] {
	if (homeAccountId === undefined) return [];
	return Object.values(section).filter((entry) => (entry.home_account_id ?? "") === homeAccountId);
}

/** The longest-lived access token of the selected user (or of the app). */
export function findAccessToken(cache: CacheDocument, username?: string): CachedCredential | undefined {
	const tokens = credentialsOf(cache.AccessToken, homeAccountIdFor(cache, username));
	return tokens.sort((a, b) => expiresAtMs(b) - expiresAtMs(a))[0];
}

export function findRefreshToken(cache: CacheDocument, username?: string): CachedCredential | undefined {
	const tokens = credentialsOf(cache.RefreshToken, homeAccountIdFor(cache, username));
	return tokens.sort(
		(a, b) => Number(b.last_modification_time ?? 0) - Number(a.last_modification_time ?? 0),
	)[0];
}

export function findIdToken(cache: CacheDocument, username?: string): CachedCredential | undefined {
	return credentialsOf(cache.IdToken, homeAccountIdFor(cache, username))[0];
}

/**
 * Scopes granted to the selected user: the refresh token's `target` (MSAL Python writes one),
 * else the longest-lived access token's (msal-node keeps them only there).
 */
export function tokenScopes(
	cache: CacheDocument,
	username: string | undefined,
	removeReserved: boolean,
): string[] | undefined {
	const refreshToken = findRefreshToken(cache, username);
	const entry = refreshToken?.target ? refreshToken : (findAccessToken(cache, username) ?? refreshToken);
	return entry === undefined ? undefined : splitTarget(entry.target, removeReserved);
}

/** Removes one user's account, id, access and refresh tokens; app metadata stays. */
export function removeUser(cache: CacheDocument, username: string): boolean {
	const account = findAccount(cache, { username });
	if (account === undefined) return false;
	const id = account.home_account_id;
	for (const section of [cache.IdToken, cache.AccessToken, cache.RefreshToken]) {
		for (const [key, entry] of Object.entries(section)) if (entry.home_account_id === id) delete section[key];
	}
	for (const [key, entry] of Object.entries(cache.Account))
		if (entry.home_account_id === id) delete cache.Account[key];
	return true;
}
