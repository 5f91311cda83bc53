/**
 * `account.asTokenCredential()`: the account as an `@azure/core-auth` `TokenCredential`, so Azure
 * SDK clients (and the Graph SDKs' Azure Identity adapters) get their bearer from our storage, our
 * single flight and our fleet-safe refresh. The types are declared here structurally: core never
 * loads `@azure/*`.
 */

import { ConfigurationError } from "../errors.js";
import { isAbortSignal } from "../utils/abort.js";
import type { AccessTokenInfo } from "./token-manager.js";

/** `@azure/abort-controller`'s `AbortSignalLike`: a real `AbortSignal` satisfies it. */
export interface AbortSignalLike {
	readonly aborted: boolean;
	readonly reason?: unknown;
	addEventListener(type: "abort", listener: (this: AbortSignalLike, ev: unknown) => unknown): void;
	removeEventListener(type: "abort", listener: (this: AbortSignalLike, ev: unknown) => unknown): void;
}

/** `@azure/core-auth`'s `GetTokenOptions` (the fields this library reads; others are accepted and ignored). */
export interface GetTokenOptions {
	/** Stops waiting for the token; a refresh shared with other callers goes on. */
	abortSignal?: AbortSignalLike | undefined;
	/** A claims challenge: the JSON (as `bearerTokenAuthenticationPolicy` passes it) or its base64. Forces a new token. */
	claims?: string | undefined;
	/** Must be the account's own tenant (or absent): the account holds tokens of one tenant. */
	tenantId?: string | undefined;
	/** Continuous Access Evaluation: accepted; claims challenges are honoured either way. */
	enableCae?: boolean | undefined;
	/** Proof-of-possession tokens are not supported: setting this rejects. */
	proofOfPossessionOptions?: unknown;
	requestOptions?: { timeout?: number } | undefined;
	tracingOptions?: unknown;
}

/** `@azure/core-auth`'s `AccessToken`; timestamps in epoch milliseconds. */
export interface AccessToken {
	token: string;
	/** Epoch ms when the token expires. */
	expiresOnTimestamp: number;
	/** Epoch ms after which a caching caller should ask again (we renew from then on). */
	refreshAfterTimestamp?: number;
	tokenType?: "Bearer" | "pop";
}

/** `@azure/core-auth`'s `TokenCredential`. */
export interface TokenCredential {
	getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null>;
}

/** What {@link createAccountCredential} needs from the account; keeps this module off Connection. */
export interface AccountTokenSource {
	/** The scope of the account's resource, e.g. `https://graph.microsoft.com/.default`. */
	defaultScope: string;
	/** The account's tenant (`common` for multi-tenant user sign-ins). */
	tenantId: string;
	/** The scopes the stored token was granted; `undefined` when unknown (the check is then skipped). */
	grantedScopes(): string[] | undefined;
	getAccessTokenInfo(options: { signal?: AbortSignal; claims?: string }): Promise<AccessTokenInfo>;
}

/** Scopes that name no resource and ride along with any token. */
const RESERVED = new Set(["openid", "profile", "offline_access", "email"]);
/** Tenants that name a group of directories: a token always belongs to one of them. */
const MULTI_TENANT = new Set(["common", "organizations", "consumers"]);

export function createAccountCredential(source: AccountTokenSource): TokenCredential {
	return {
		async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
			checkOptions(options, source);
			checkScopes(scopes, source.defaultScope, source.grantedScopes());
			const claims = options.claims === undefined ? undefined : readClaims(options.claims);
			const info = await source.getAccessTokenInfo({
				...(options.abortSignal === undefined ? {} : { signal: toAbortSignal(options.abortSignal) }),
				...(claims === undefined ? {} : { claims }),
			});
			return {
				token: info.token,
				expiresOnTimestamp: info.expiresAt,
				refreshAfterTimestamp: Math.min(info.renewAt, info.expiresAt),
				tokenType: "Bearer",
			};
		},
	};
}

function checkOptions(options: GetTokenOptions, source: AccountTokenSource): void {
	if (options === null || typeof options !== "object") {
		throw new ConfigurationError("invalid_option", "getToken's options must be an object or undefined.");
	}
	if (options.proofOfPossessionOptions !== undefined) {
		throw new ConfigurationError(
			"invalid_option",
			"proof-of-possession tokens are not supported by an o365 account credential; use a Bearer-token client.",
		);
	}
	const { tenantId } = options;
	if (tenantId === undefined || tenantId === "") return;
	if (typeof tenantId === "string" && tenantId.toLowerCase() === source.tenantId.toLowerCase()) return;
	const why = MULTI_TENANT.has(source.tenantId.toLowerCase())
		? `this account signs in through '${source.tenantId}' and cannot switch a user's tenant per call`
		: `this account holds tokens of tenant '${source.tenantId}' only`;
	throw new ConfigurationError(
		"invalid_option",
		`getToken asked for tenant '${String(tenantId)}', but ${why}; create an Account with tenantId '${String(tenantId)}' for it.`,
	);
}

/**
 * The account's tokens are for one resource (Graph, in its cloud): `<resource>/.default`, the
 * resource's own permissions (`<resource>/Mail.Read`), bare permission names and OpenID scopes
 * are served by them; a scope of another resource (Storage, Key Vault) is refused, since a Graph
 * token sent there would be rejected, and so is a permission the user did not consent to (a
 * token without it would be refused by Graph with 403; only a new sign-in can add it).
 */
function checkScopes(scopes: unknown, defaultScope: string, granted: string[] | undefined): void {
	const list = typeof scopes === "string" ? [scopes] : scopes;
	if (!Array.isArray(list) || list.length === 0 || list.some((scope) => typeof scope !== "string")) {
		throw new ConfigurationError(
			"invalid_scopes",
			`getToken needs a scope or an array of scopes, e.g. '${defaultScope}'.`,
		);
	}
	const resource = defaultScope.slice(0, -".default".length).toLowerCase();
	for (const scope of list as string[]) {
		const lower = scope.toLowerCase();
		if (RESERVED.has(lower) || !lower.includes("://")) continue;
		const sameResource = lower.startsWith(resource) || `${lower}/` === resource;
		if (!sameResource) {
			throw new ConfigurationError(
				"invalid_scopes",
				`scope '${scope}' is for another resource; this account's tokens are for '${resource}' (ask for '${defaultScope}'). Use a credential of that resource for it.`,
			);
		}
	}
	const consented = new Set((granted ?? []).map((scope) => scope.toLowerCase()));
	if (consented.size === 0 || [...consented].some((scope) => scope.endsWith("/.default"))) return;
	for (const scope of list as string[]) {
		const lower = scope.toLowerCase();
		const full = lower.includes("://") ? lower : `${resource}${lower}`;
		if (RESERVED.has(lower) || full === `${resource}.default` || `${full}/` === resource) continue;
		if (!consented.has(full)) {
			throw new ConfigurationError(
				"invalid_scopes",
				`scope '${scope}' was not granted to this account's token (it holds: ${[...consented].join(" ")}); sign the user in again asking for it, e.g. account.authenticate({ scopes: [...] }).`,
			);
		}
	}
}

/** The claims JSON, from JSON or its base64 (standard or URL-safe); anything else is refused. */
export function readClaims(claims: unknown): string {
	if (typeof claims === "string" && claims.trim() !== "") {
		if (isJsonObject(claims)) return claims;
		const decoded = Buffer.from(claims.trim(), "base64").toString("utf8");
		if (/^[A-Za-z0-9+/_-]+=*$/.test(claims.trim()) && isJsonObject(decoded)) return decoded;
	}
	throw new ConfigurationError(
		"invalid_option",
		"claims must be the claims challenge's JSON object (e.g. '{\"access_token\":{…}}') or its base64, as a WWW-Authenticate header carries it.",
	);
}

function isJsonObject(text: string): boolean {
	try {
		const value: unknown = JSON.parse(text);
		return value !== null && typeof value === "object" && !Array.isArray(value);
	} catch {
		return false;
	}
}

/** A real AbortSignal for an `AbortSignalLike` (Azure SDKs may pass their own implementation). */
export function toAbortSignal(like: AbortSignalLike): AbortSignal {
	if (isAbortSignal(like)) return like;
	const controller = new AbortController();
	if (like.aborted) controller.abort(like.reason);
	else like.addEventListener("abort", () => controller.abort(like.reason));
	return controller.signal;
}
