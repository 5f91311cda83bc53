/**
 * The token cache under MSAL Python's keys, so that python-o365 (MSAL Python 1.21+) and this
 * library share one stored document without duplicates.
 *
 * msal-node reads entries by their fields, whatever their keys, but writes under its own keys
 * (a trailing segment on AccessToken and IdToken keys, `…-refreshtoken-<client>---` without
 * `target` and `last_modification_time`) and caches the public cloud as `login.windows.net`.
 * After a refresh each library would keep a dead duplicate of the other's entry, and MSAL Python
 * may pick the used-up refresh token. {@link toMsalPythonKeys} rewrites what msal-node wrote:
 * every entry under the key MSAL Python computes for it, one entry per key (one refresh token
 * per user and app), the public cloud as `login.microsoftonline.com` (what python-o365 uses).
 *
 * MSAL Python's keys (msal/token_cache.py, 1.21), lower-cased except AppMetadata:
 * - AccessToken  `<home_account_id>-<environment>-accesstoken-<client_id>-<realm>-<target>`
 * - IdToken      `<home_account_id>-<environment>-idtoken-<client_id>-<realm>-`
 * - RefreshToken `<home_account_id>-<environment>-refreshtoken-<client_id>--<target>`
 * - Account      `<home_account_id>-<environment>-<realm>`
 * - AppMetadata  `appmetadata-<environment>-<client_id>`
 */

import type { CacheDocument, CachedCredential } from "./cache-json.js";

/** Hosts msal-node and MSAL Python use for Microsoft's public cloud; MSAL Python writes the first. */
const PUBLIC_CLOUD_ALIASES = new Set([
	"login.microsoftonline.com",
	"login.windows.net",
	"login.microsoft.com",
	"sts.windows.net",
]);

/** The environment MSAL Python writes for `environment`: the public cloud's aliases become one. */
export function msalPythonEnvironment(environment: string): string {
	const host = environment.toLowerCase();
	return PUBLIC_CLOUD_ALIASES.has(host) ? "login.microsoftonline.com" : environment;
}

type Entry = Record<string, unknown>;

function text(value: unknown): string {
	return typeof value === "string" ? value : "";
}

/** The key MSAL Python computes for an entry of `section` (the entry's environment as it is). */
export function msalPythonKey(section: keyof CacheDocument, entry: Entry): string {
	const home = text(entry.home_account_id);
	const env = text(entry.environment);
	const client = text(entry.client_id);
	const realm = text(entry.realm);
	const target = text(entry.target);
	switch (section) {
		case "AccessToken":
			return [home, env, "accesstoken", client, realm, target].join("-").toLowerCase();
		case "IdToken":
			return [home, env, "idtoken", client, realm, ""].join("-").toLowerCase();
		case "RefreshToken":
			return [home, env, "refreshtoken", client, "", target].join("-").toLowerCase();
		case "Account":
			return [home, env, realm].join("-").toLowerCase();
		case "AppMetadata":
			return `appmetadata-${env}-${client}`;
	}
}

/**
 * What makes two entries "the same" for MSAL Python: its key, except that a user has one
 * refresh token per app whatever its `target` (MSAL Python updates that entry in place).
 */
function identity(section: keyof CacheDocument, entry: Entry): string {
	if (section !== "RefreshToken") return msalPythonKey(section, entry);
	return [text(entry.home_account_id), text(entry.environment), text(entry.client_id), text(entry.family_id)]
		.join("\u0000")
		.toLowerCase();
}

interface Candidate {
	entry: Entry;
	/** Not in the document msal-node was handed: it has just written this one. */
	fresh: boolean;
	/** When it was written (epoch seconds), as far as the entry tells. */
	time: number;
	/** The entry it won against, if any. */
	replaced?: Entry | undefined;
}

/**
 * `written` under MSAL Python's keys. `before` is the document msal-node was handed before it
 * wrote `written` (omit it for a stored document): of two entries that are one for MSAL Python,
 * the one msal-node has just written wins, else the newer. A refresh token gets `target` (the
 * scopes of the user's newest access token, else those it had) and `last_modification_time`
 * (`nowSeconds`, epoch seconds, when its secret is new).
 */
export function toMsalPythonKeys(
	written: CacheDocument,
	before?: CacheDocument,
	nowSeconds: number = Math.floor(Date.now() / 1000),
): CacheDocument {
	const result: Record<string, Record<string, Entry>> = {};
	const msalNodeWrites = msalNodeAccessTokenTimes(written);
	// Looked up once per call: a cache may hold thousands of users.
	const lookups: RefreshTokenLookups = {
		newestTargets: newestAccessTokenTargets(written),
		previous: new Map(
			Object.values((before?.RefreshToken ?? {}) as Record<string, Entry>).map((entry) => [
				identity("RefreshToken", { ...entry, environment: msalPythonEnvironment(text(entry.environment)) }),
				entry,
			]),
		),
	};
	for (const [section, entries] of Object.entries(written) as [string, Record<string, Entry>][]) {
		if (!isKnownSection(section)) {
			result[section] = entries;
			continue;
		}
		const previous = Object.values((before?.[section] ?? {}) as Record<string, Entry>);
		const previousContent = new Set(previous.map(fingerprint));
		const chosen = new Map<string, Candidate>();
		for (const original of Object.values(entries)) {
			const entry: Entry = { ...original };
			if (typeof entry.environment === "string") entry.environment = msalPythonEnvironment(entry.environment);
			const candidate: Candidate = {
				entry,
				fresh: before !== undefined && !previousContent.has(fingerprint(original)),
				time: entryTime(section, entry, msalNodeWrites),
			};
			const id = identity(section, entry);
			const held = chosen.get(id);
			if (held === undefined) chosen.set(id, candidate);
			else if (outranks(candidate, held)) chosen.set(id, { ...candidate, replaced: held.entry });
			else held.replaced ??= entry;
		}
		const out: Record<string, Entry> = {};
		for (const candidate of chosen.values()) {
			if (section === "RefreshToken") completeRefreshToken(candidate, lookups, nowSeconds);
			out[msalPythonKey(section, candidate.entry)] = candidate.entry;
		}
		result[section] = out;
	}
	return result as unknown as CacheDocument;
}

function outranks(a: Candidate, b: Candidate): boolean {
	if (a.fresh !== b.fresh) return a.fresh;
	return a.time >= b.time;
}

function isKnownSection(section: string): section is keyof CacheDocument {
	return ["Account", "IdToken", "AccessToken", "RefreshToken", "AppMetadata"].includes(section);
}

/** What identifies an entry's content: its secret, or the whole entry for accounts and app metadata. */
function fingerprint(entry: Entry): string {
	return typeof entry.secret === "string" ? entry.secret : JSON.stringify(entry);
}

function userOf(entry: Entry): string {
	return `${text(entry.home_account_id)}\u0000${text(entry.client_id)}`;
}

/**
 * Per user and app, when msal-node last wrote an access token (its keys differ from MSAL
 * Python's): the age of a refresh token msal-node wrote, which carries no time of its own.
 */
function msalNodeAccessTokenTimes(document: CacheDocument): Map<string, number> {
	const times = new Map<string, number>();
	for (const [key, entry] of Object.entries(document.AccessToken ?? {})) {
		if (key === msalPythonKey("AccessToken", entry)) continue;
		const time = Number(entry.cached_at ?? 0) || 0;
		times.set(userOf(entry), Math.max(times.get(userOf(entry)) ?? 0, time));
	}
	return times;
}

function entryTime(section: keyof CacheDocument, entry: Entry, msalNodeWrites: Map<string, number>): number {
	if (section !== "RefreshToken") return Number(entry.cached_at ?? 0) || 0;
	if (entry.last_modification_time !== undefined) return Number(entry.last_modification_time) || 0;
	return msalNodeWrites.get(userOf(entry)) ?? 0;
}

interface RefreshTokenLookups {
	/** Per user and app, the `target` of the newest access token. */
	newestTargets: Map<string, string>;
	/** The refresh tokens msal-node was handed, by {@link identity}. */
	previous: Map<string, Entry>;
}

/** `target` and `last_modification_time`, which MSAL Python writes and msal-node leaves out. */
function completeRefreshToken(candidate: Candidate, lookups: RefreshTokenLookups, nowSeconds: number): void {
	const { entry, fresh } = candidate;
	const older = candidate.replaced ?? lookups.previous.get(identity("RefreshToken", entry));
	if (fresh || !text(entry.target)) {
		const target = lookups.newestTargets.get(userOf(entry)) ?? text(older?.target);
		if (target !== "") entry.target = target;
	}
	if (fresh) entry.last_modification_time = String(nowSeconds);
	else entry.last_modification_time ??= text(older?.last_modification_time) || String(nowSeconds);
}

/** Per user and app, the scopes of the newest access token (what the last response granted). */
function newestAccessTokenTargets(document: CacheDocument): Map<string, string> {
	const newest = new Map<string, CachedCredential>();
	for (const token of Object.values(document.AccessToken ?? {})) {
		if (!text(token.target)) continue;
		const held = newest.get(userOf(token));
		if (held === undefined || Number(token.cached_at ?? 0) > Number(held.cached_at ?? 0))
			newest.set(userOf(token), token);
	}
	return new Map([...newest].map(([user, token]) => [user, text(token.target)]));
}
