/**
 * The MSAL unified token-cache document: the value every token backend stores (optionally
 * encrypted). It is the format msal-node, MSAL Python and python-o365 share, so a stored token
 * moves between them. Field names are MSAL's snake_case; times are epoch seconds as strings.
 */

export interface CachedAccount {
	home_account_id: string;
	environment: string;
	realm: string;
	local_account_id: string;
	username: string;
	authority_type: string;
	name?: string;
	client_info?: string;
	[extra: string]: unknown;
}

export interface CachedCredential {
	home_account_id: string;
	environment: string;
	credential_type: string;
	client_id: string;
	secret: string;
	realm?: string;
	target?: string;
	cached_at?: string;
	expires_on?: string;
	extended_expires_on?: string;
	refresh_on?: string;
	token_type?: string;
	family_id?: string;
	[extra: string]: unknown;
}

export interface CacheDocument {
	Account: Record<string, CachedAccount>;
	IdToken: Record<string, CachedCredential>;
	AccessToken: Record<string, CachedCredential>;
	RefreshToken: Record<string, CachedCredential>;
	AppMetadata: Record<string, Record<string, unknown>>;
}

/** The five sections of a cache document, in MSAL's order. */
export const CACHE_SECTIONS = ["Account", "IdToken", "AccessToken", "RefreshToken", "AppMetadata"] as const;

/** Scopes MSAL adds to every user sign-in; python-o365 strips them with `removeReserved`. */
export const RESERVED_TOKEN_SCOPES: ReadonlySet<string> = new Set(["openid", "profile", "offline_access"]);

export function emptyCacheDocument(): CacheDocument {
	return { Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {} };
}

/** Why a stored value is not a cache document, or `undefined` when it is one. */
export type CacheDocumentProblem = "not_json" | "not_an_object" | "legacy_format";

/**
 * Parses a stored value into a cache document. Missing sections are added (MSAL Python omits
 * empty ones); anything that is not a JSON object is reported, never repaired.
 */
export function parseCacheDocument(text: string): CacheDocument | CacheDocumentProblem {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return "not_json";
	}
	if (value === null || typeof value !== "object" || Array.isArray(value)) return "not_an_object";
	const record = value as Record<string, unknown>;
	// python-o365 before 2.1 stored the flat OAuth response.
	if ("access_token" in record || "refresh_token" in record) return "legacy_format";
	const document = emptyCacheDocument() as unknown as Record<string, unknown>;
	for (const [section, entries] of Object.entries(record)) {
		if (entries === null || typeof entries !== "object" || Array.isArray(entries)) return "not_an_object";
		document[section] = entries;
	}
	return document as unknown as CacheDocument;
}

export function isCacheDocumentEmpty(document: CacheDocument): boolean {
	return CACHE_SECTIONS.every((section) => Object.keys(document[section]).length === 0);
}

/** Space-separated `target` → scopes, optionally without the OIDC scopes MSAL adds itself. */
export function splitTarget(target: string | undefined, removeReserved: boolean): string[] {
	const scopes = (target ?? "").split(" ").filter((scope) => scope.length > 0);
	return removeReserved ? scopes.filter((scope) => !RESERVED_TOKEN_SCOPES.has(scope.toLowerCase())) : scopes;
}

/** `expires_on` of an access-token entry, in epoch milliseconds (0 when absent). */
export function expiresAtMs(entry: CachedCredential): number {
	return Number(entry.expires_on ?? 0) * 1000;
}
