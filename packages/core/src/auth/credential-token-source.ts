/**
 * `new Account(credential)`: any `TokenCredential` (`ManagedIdentityCredential`,
 * `WorkloadIdentityCredential`, one of your own) as the source of the bearer our request layer
 * sends. No MSAL, no secret and no token backend take part: the credential owns the sign-in, we
 * keep its token in memory until shortly before it expires and share one `getToken` call among
 * concurrent callers.
 */

import { AuthenticationError, ConfigurationError, O365Error } from "../errors.js";
import { raceSignal } from "../utils/abort.js";
import { rememberToken } from "../utils/known-secrets.js";
import type { AccessToken, TokenCredential } from "./token-credential.js";
import type { AccessTokenInfo, AccessTokenOptions } from "./token-manager.js";

/** We ask the credential again this long before its token expires (as msal-node and Azure SDKs do). */
const RENEW_BEFORE_MS = 300_000;

/** Whether `value` is a `TokenCredential`: an object with a `getToken` method. */
export function isTokenCredential(value: unknown): value is TokenCredential {
	try {
		return (
			value !== null &&
			typeof value === "object" &&
			!Array.isArray(value) &&
			typeof (value as { getToken?: unknown }).getToken === "function"
		);
	} catch {
		return false;
	}
}

export interface CredentialTokenSourceOptions {
	/** What to ask for: the protocol's `.default` scope, e.g. `https://graph.microsoft.com/.default`. */
	scopes: string[];
	/** Sent as `GetTokenOptions.tenantId` when the account was given one. */
	tenantId?: string | undefined;
}

export class CredentialTokenSource {
	readonly #credential: TokenCredential;
	readonly #options: CredentialTokenSourceOptions;
	#cached: AccessTokenInfo | undefined;
	readonly #inflight = new Map<string, Promise<AccessTokenInfo>>();

	constructor(credential: TokenCredential, options: CredentialTokenSourceOptions) {
		this.#credential = credential;
		this.#options = options;
	}

	/** A valid access token: the cached one, else the credential's (one call however many wait). */
	getAccessToken(options: AccessTokenOptions = {}): Promise<string> {
		return this.getAccessTokenInfo(options).then((info) => info.token);
	}

	/** As {@link getAccessToken}, with the token's expiry and renewal times. */
	getAccessTokenInfo(options: AccessTokenOptions = {}): Promise<AccessTokenInfo> {
		const force = options.forceRefresh === true || options.claims !== undefined;
		const cached = this.#cached;
		if (!force && cached !== undefined && Date.now() < cached.renewAt) {
			return raceSignal(Promise.resolve({ ...cached }), options.signal);
		}
		const key = force ? `force:${options.claims ?? ""}` : "renew";
		let flight = this.#inflight.get(key);
		if (flight === undefined) {
			flight = this.#ask(options.claims).finally(() => this.#inflight.delete(key));
			this.#inflight.set(key, flight);
		}
		return raceSignal(flight, options.signal).then((info) => ({ ...info }));
	}

	/** Whether a token is held that is not about to expire. */
	get holdsToken(): boolean {
		return this.#cached !== undefined && Date.now() < this.#cached.renewAt;
	}

	async #ask(claims: string | undefined): Promise<AccessTokenInfo> {
		const { scopes, tenantId } = this.#options;
		let answer: AccessToken | null;
		try {
			// No abortSignal: the call is shared, and one caller giving up must not fail the others.
			answer = await this.#credential.getToken(scopes, {
				...(claims === undefined ? {} : { claims }),
				...(tenantId === undefined ? {} : { tenantId }),
			});
		} catch (error) {
			if (error instanceof O365Error) throw error;
			throw new AuthenticationError(
				"token_request_failed",
				`the TokenCredential's getToken() failed for '${scopes.join(" ")}': ${describeError(error)}. Check the credential's configuration (a managed identity must be assigned to this host and granted the Graph permissions).`,
				{ cause: error },
			);
		}
		const info = readAnswer(answer, scopes);
		rememberToken(info.token);
		this.#cached = info;
		return info;
	}
}

/** The credential's answer, checked; a null or malformed one is a typed error. */
function readAnswer(answer: unknown, scopes: string[]): AccessTokenInfo {
	const what = `the TokenCredential's getToken() for '${scopes.join(" ")}'`;
	if (answer === null || answer === undefined) {
		throw new AuthenticationError(
			"token_request_failed",
			`${what} returned ${String(answer)}: the credential has no token for this scope. Check that it can sign in here (for a managed identity: that one is assigned to this host).`,
		);
	}
	const { token, expiresOnTimestamp, refreshAfterTimestamp } = answer as Partial<AccessToken>;
	if (typeof token !== "string" || token === "" || typeof expiresOnTimestamp !== "number") {
		throw new AuthenticationError(
			"token_request_failed",
			`${what} returned no usable token: expected { token: string, expiresOnTimestamp: number (epoch ms) }.`,
		);
	}
	if (!Number.isFinite(expiresOnTimestamp) || expiresOnTimestamp <= Date.now()) {
		throw new AuthenticationError(
			"token_request_failed",
			`${what} returned a token that expired already (expiresOnTimestamp ${expiresOnTimestamp}, in epoch milliseconds); check the credential and the host's clock.`,
		);
	}
	const remaining = expiresOnTimestamp - Date.now();
	// A short-lived token is kept for half its remaining life rather than not at all.
	const renewAt = Math.min(
		expiresOnTimestamp - Math.min(RENEW_BEFORE_MS, remaining / 2),
		typeof refreshAfterTimestamp === "number" && Number.isFinite(refreshAfterTimestamp)
			? refreshAfterTimestamp
			: Number.POSITIVE_INFINITY,
	);
	return { token, expiresAt: expiresOnTimestamp, renewAt };
}

function describeError(error: unknown): string {
	if (error instanceof Error) return `${error.name}: ${error.message}`;
	return String(error);
}

/** Refuses what only a client id and MSAL can do, for a credential-backed account. */
export function noSignIn(what: string): ConfigurationError {
	return new ConfigurationError(
		"invalid_option",
		`${what} is not available: this account gets its tokens from a TokenCredential, which signs in by itself; call con.getAccessToken() or send requests.`,
	);
}
