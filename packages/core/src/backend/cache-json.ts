/**
 * The MSAL unified token-cache document: the value every token backend stores (optionally
 * encrypted). It is the format msal-node, MSAL Python and python-o365 share, so a stored token
 * moves between them. Field names are MSAL's snake_case; times are epoch seconds as strings.
 */

import { rememberToken } from "../utils/known-secrets.js";

export interface CachedAccount {
	home_account_id: string;
	environment: string;
	/** `null` in some MSAL Python documents. */
	realm: string | null;
	/** `null` in some MSAL Python documents. */
	local_account_id: string | null;
	username: string;
	authority_type: string;
	name?: string;
	client_info?: string;
	[extra: string]: unknown;
}

export interface CachedCredential {
	/** `null` in MSAL Python's app-only tokens. */
	home_account_id: string | null;
	environment: string;
	credential_type: string;
	client_id: string;
	secret: string;
	realm?: string | null;
	target?: string | null;
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
 * Parses a stored value into a cache document, strictly: every section and entry is checked for
 * the fields this library and MSAL read (strings where MSAL writes strings, expiries that are
 * whole epoch seconds), so that a file that is not a token cache — someone's `settings.json`, a
 * truncated or hand-edited cache — is refused rather than used or overwritten. Fields and
 * sections beyond these are kept as they are, so documents round-trip byte for byte. Missing
 * sections are added (MSAL Python omits empty ones). The secrets of an accepted document are
 * remembered for redaction (`rememberToken`).
 */
export function parseCacheDocument(text: string): CacheDocument | CacheDocumentProblem {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return "not_json";
	}
	if (!isRecord(value)) return "not_an_object";
	// python-o365 before 2.1 stored the flat OAuth response.
	if ("access_token" in value || "refresh_token" in value) return "legacy_format";
	const document = emptyCacheDocument() as unknown as Record<string, unknown>;
	for (const [section, entries] of Object.entries(value)) {
		if (!isRecord(entries)) return "not_an_object";
		const check = ENTRY_CHECKS[section as keyof typeof ENTRY_CHECKS] ?? isRecord;
		for (const entry of Object.values(entries)) if (!check(entry)) return "not_an_object";
		document[section] = entries;
	}
	const parsed = document as unknown as CacheDocument;
	for (const section of CREDENTIAL_SECTIONS) {
		for (const entry of Object.values(parsed[section])) rememberToken(entry.secret);
	}
	return parsed;
}

const CREDENTIAL_SECTIONS = ["IdToken", "AccessToken", "RefreshToken"] as const;

/** The latest epoch second a `Date` can hold. */
const MAX_EPOCH_SECONDS = 8.64e12;

/** What each known section's entries must be; unknown sections need only hold objects. */
const ENTRY_CHECKS: Record<(typeof CACHE_SECTIONS)[number], (entry: unknown) => boolean> = {
	Account: (entry) =>
		isRecord(entry) &&
		["home_account_id", "environment", "username", "authority_type"].every((field) =>
			isString(entry[field]),
		) &&
		// MSAL Python writes null where it had no value.
		["realm", "local_account_id"].every((field) => isStringOrNull(entry[field])) &&
		optional(entry, ["name", "client_info"], isString) &&
		optional(entry, ["last_modification_time"], isEpochSeconds),
	IdToken: (entry) => isCredential(entry),
	AccessToken: (entry) => isCredential(entry) && isEpochSeconds(entry.expires_on),
	RefreshToken: (entry) => isCredential(entry),
	AppMetadata: (entry) => isRecord(entry) && isString(entry.client_id) && isString(entry.environment),
};

/**
 * A token entry: its secret, whose it is, and well-formed optional fields. MSAL Python writes
 * null where it had no value (`home_account_id` of app tokens, `realm` without a token endpoint).
 */
function isCredential(entry: unknown): entry is Record<string, unknown> {
	return (
		isRecord(entry) &&
		isString(entry.secret) &&
		isString(entry.environment) &&
		isString(entry.credential_type) &&
		isString(entry.client_id) &&
		isStringOrNull(entry.home_account_id) &&
		optional(entry, ["realm", "target"], isStringOrNull) &&
		optional(entry, ["token_type", "family_id"], isString) &&
		optional(
			entry,
			["cached_at", "expires_on", "extended_expires_on", "refresh_on", "last_modification_time"],
			isEpochSeconds,
		)
	);
}

/** Whole, non-negative epoch seconds that a `Date` can hold: MSAL writes strings, some writers numbers. */
function isEpochSeconds(value: unknown): boolean {
	if (typeof value === "string") return /^\d{1,13}$/.test(value) && Number(value) <= MAX_EPOCH_SECONDS;
	return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && value <= MAX_EPOCH_SECONDS;
}

function optional(entry: Record<string, unknown>, fields: string[], check: (value: unknown) => boolean) {
	return fields.every((field) => entry[field] === undefined || check(entry[field]));
}

function isString(value: unknown): value is string {
	return typeof value === "string";
}

function isStringOrNull(value: unknown): value is string | null {
	return value === null || typeof value === "string";
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function isCacheDocumentEmpty(document: CacheDocument): boolean {
	return CACHE_SECTIONS.every((section) => Object.keys(document[section]).length === 0);
}

/** Space-separated `target` → scopes, optionally without the OIDC scopes MSAL adds itself. */
export function splitTarget(target: string | null | undefined, removeReserved: boolean): string[] {
	const scopes = (target ?? "").split(" ").filter((scope) => scope.length > 0);
	return removeReserved ? scopes.filter((scope) => !RESERVED_TOKEN_SCOPES.has(scope.toLowerCase())) : scopes;
}

/** `expires_on` of an access-token entry, in epoch milliseconds (0 when absent). */
export function expiresAtMs(entry: CachedCredential): number {
	return Number(entry.expires_on ?? 0) * 1000;
}
