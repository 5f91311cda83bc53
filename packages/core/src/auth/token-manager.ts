/**
 * Hands out valid access tokens. The warm path is one map lookup: no storage I/O and no walk of
 * MSAL's cache. Near expiry (or when forced) one refresh runs per user and per process, however
 * many callers wait for it; the backend's `shouldRefreshToken` hook takes part as in python-o365.
 */

import type { TokenBackend, TokenLease } from "../backend/token-backend.js";
import { AuthenticationError, O365Error, TokenBackendError } from "../errors.js";
import type { SafeLogger } from "../logging/logger.js";
import { abortError, raceSignal } from "../utils/abort.js";
import type { AuthFlowType } from "./credentials.js";
import { LeaseRenewal } from "./lease-renewal.js";
import type { MsalClient, TokenResult } from "./msal-client.js";

/**
 * We renew access tokens this long before they expire. msal-node renews 300 s early on a clock
 * rounded to whole seconds; renewing one second before it keeps the decision ours, so a refresh
 * never happens outside the lease (and the `shouldRefreshToken` hook) because msal rounded up.
 */
export const RENEWAL_OFFSET_MS = 301_000;
/** A refresh holds the store's lease at most this long, so a crashed holder blocks nobody for longer. */
const LEASE_TTL_MS = 30_000;
/** How long a process waits for another one's refresh before giving up with `lease_timeout`. */
const LEASE_WAIT_MS = 60_000;

/** An access token with its times, as {@link TokenManager.getAccessTokenInfo} hands it out. */
export interface AccessTokenInfo {
	token: string;
	/** Epoch ms when the token expires. */
	expiresAt: number;
	/** Epoch ms after which the next call goes back to MSAL (renews it). */
	renewAt: number;
}

type Bearer = AccessTokenInfo;

export interface TokenManagerOptions {
	msal: MsalClient;
	backend: TokenBackend;
	authFlowType: AuthFlowType;
	/** Scopes of the app's own token, e.g. `https://graph.microsoft.com/.default`. */
	appScopes: string[];
	storeTokenAfterRefresh: boolean;
	username: string | undefined;
	/** Where sign-ins and refreshes are logged (info), and lease trouble (warn). */
	log: SafeLogger;
}

export interface AccessTokenOptions {
	/** Stops waiting; the shared refresh goes on for the other callers. */
	signal?: AbortSignal | undefined;
	/** Skips the cached token and asks the identity platform for a new one. @default false */
	forceRefresh?: boolean | undefined;
	/**
	 * A claims challenge (the JSON a `WWW-Authenticate: … claims="…"` header carries, decoded):
	 * forces a new token that satisfies it. @default undefined
	 */
	claims?: string | undefined;
}

export class TokenManager {
	readonly #options: TokenManagerOptions;
	readonly #bearers = new Map<string, Bearer>();
	readonly #inflight = new Map<string, Promise<Bearer>>();
	#username: string | undefined;
	#loaded = false;

	constructor(options: TokenManagerOptions) {
		this.#options = options;
		this.#username = options.username;
	}

	/** The selected user: the one set, else the first stored account (by username). */
	get username(): string | undefined {
		return this.#username ?? this.#options.backend.getAllAccounts()[0]?.username;
	}

	set username(username: string | undefined) {
		this.#username = username;
	}

	/**
	 * A valid access token. A refresh (near expiry, forced, or after a 401) first asks the
	 * backend's `shouldRefreshToken` hook, as python-o365 does: `true` refreshes here (under the
	 * store's lease when it has one); `false` means another process refreshed and stored its
	 * token, and `null` that the backend refreshed itself: for both the stored token is reloaded
	 * and used as it is, and nothing is refreshed here, so when it is expired too the call rejects
	 * with an `AuthenticationError` coded `token_request_failed`. A claims challenge always
	 * refreshes here: only a new token can carry the claims.
	 */
	getAccessToken(options: AccessTokenOptions = {}): Promise<string> {
		return this.#token(options, true).then((bearer) => bearer.token);
	}

	/** As {@link getAccessToken}, with the token's expiry and renewal times (for a `TokenCredential`). */
	getAccessTokenInfo(options: AccessTokenOptions = {}): Promise<AccessTokenInfo> {
		return this.#token(options, true).then((bearer) => ({ ...bearer }));
	}

	/** `askHook: false` is the refresh the hook itself asks for (`con.refreshToken()` inside it). */
	#token(options: AccessTokenOptions, askHook: boolean): Promise<Bearer> {
		// Before anything starts: an aborted call sends nothing and leaves no promise behind.
		if (options.signal?.aborted) return Promise.reject(abortError(options.signal));
		const key = this.#username?.toLowerCase() ?? "";
		const force = options.forceRefresh === true || options.claims !== undefined;
		if (!force) {
			const bearer = this.#bearers.get(key);
			if (bearer !== undefined && Date.now() < bearer.renewAt) return Promise.resolve(bearer);
		}
		const flightKey = `${askHook ? "" : "direct:"}${force ? `force:${options.claims ?? ""}` : "renew"}:${key}`;
		let flight = this.#inflight.get(flightKey);
		if (flight === undefined) {
			flight = this.#obtain(key, force, options.claims, askHook).finally(() =>
				this.#inflight.delete(flightKey),
			);
			this.#inflight.set(flightKey, flight);
		}
		return raceSignal(flight, options.signal);
	}

	/** Loads the stored token once, the first time a token is needed. */
	async ensureLoaded(): Promise<void> {
		if (this.#loaded) return;
		if (!this.#options.backend.hasData) await this.#options.backend.loadToken();
		this.#loaded = true;
	}

	/** Forgets cached bearers, e.g. after the backend was reloaded or the user changed. */
	invalidate(): void {
		this.#bearers.clear();
	}

	/** Records a fresh sign-in: selects its user and remembers its token. */
	async acceptSignIn(result: TokenResult, store: boolean): Promise<void> {
		this.#loaded = true;
		if (result.account !== undefined) this.#username = result.account.username;
		if (store) await this.#options.backend.saveToken();
		this.#remember(this.#username?.toLowerCase() ?? "", result);
		this.#logToken("signed in", result);
	}

	async #obtain(key: string, force: boolean, claims: string | undefined, askHook: boolean): Promise<Bearer> {
		await this.ensureLoaded();
		const result =
			this.#options.authFlowType === "credentials"
				? await this.#appToken(force, claims, askHook)
				: await this.#userToken(force, claims, askHook);
		const bearer = this.#remember(key, result);
		if (result.fromCache === false) this.#logToken("refreshed the access token", result);
		return bearer;
	}

	async #appToken(force: boolean, claims: string | undefined, askHook: boolean): Promise<TokenResult> {
		if (!force && !this.#needsRefresh(undefined)) {
			const stored = this.#storedToken(undefined);
			if (stored !== undefined) return stored;
		}
		if (askHook && claims === undefined) {
			const decision = await this.#askHook(undefined);
			if (decision !== true) return this.#adoptStored(undefined, decision);
		}
		const result = await this.#options.msal.appToken({
			scopes: this.#options.appScopes,
			forceRefresh: true,
			claims,
		});
		await this.#saveIfChanged();
		return result;
	}

	async #userToken(force: boolean, claims: string | undefined, askHook: boolean): Promise<TokenResult> {
		const { backend } = this.#options;
		const username = this.username;
		const account = backend.getAccount({ ...(username === undefined ? {} : { username }) });
		if (account === undefined) {
			throw new AuthenticationError(
				"sign_in_required",
				username === undefined
					? "no user has signed in yet; call account.authenticate() first."
					: `no stored token for '${username}'; call account.authenticate() to sign them in.`,
			);
		}
		if (!force && !this.#needsRefresh(account.username)) {
			// Served from the stored token, not through MSAL: MSAL would refresh on its own clock
			// (300 s early, rounded) a moment later, here, outside the lease and the hook.
			const stored = this.#storedToken(account.username);
			if (stored !== undefined) return stored;
		}
		if (askHook && claims === undefined) {
			const decision = await this.#askHook(account.username);
			if (decision !== true) return this.#adoptStored(account.username, decision);
		}
		const acquireLease = backend.acquireLease?.bind(backend);
		if (acquireLease !== undefined) {
			return this.#leasedRefresh(acquireLease, account.username, force, claims);
		}
		let result: TokenResult;
		try {
			result = await this.#silent(account.username, account.home_account_id, true, claims);
		} catch (error) {
			if (!(await this.#anotherProcessRotated(error, account.username))) throw error;
			const refresh = claims !== undefined || this.#needsRefresh(account.username);
			result = await this.#silent(account.username, account.home_account_id, refresh, claims);
		}
		await this.#saveIfChanged();
		return result;
	}

	/** python-o365's `shouldRefreshToken` hook, asked before this process refreshes. */
	#askHook(username: string | undefined): Promise<boolean | null> {
		return this.#options.backend.shouldRefreshToken(
			{
				username,
				refreshToken: (options) =>
					this.#token({ signal: options?.signal, forceRefresh: true }, false).then(() => true),
			},
			username === undefined ? {} : { username },
		);
	}

	/**
	 * The hook answered `false` (another process refreshed and stored its token) or `null` (the
	 * backend refreshed itself): reload and use the stored access token as it is, with no call to
	 * MSAL, which would refresh an expired token here, outside the lease. Unsaved changes in
	 * memory (the hook's own refresh with `storeTokenAfterRefresh` off) are newer than storage.
	 */
	async #adoptStored(username: string | undefined, decision: false | null): Promise<TokenResult> {
		const { backend } = this.#options;
		if (!backend.hasStateChanged) await backend.loadToken();
		const stored = this.#storedToken(username);
		if (stored === undefined) {
			const who = decision === false ? "another process refreshed it" : "the backend refreshed it itself";
			const state = backend.getAccessToken({ username }) === undefined ? "missing" : "expired";
			throw new AuthenticationError(
				"token_request_failed",
				`the token backend's shouldRefreshToken() answered ${String(decision)} (${who}), but the stored access token for ${username === undefined ? "the app" : `'${username}'`} is ${state}; nothing was refreshed here. Make the hook answer true when this process should refresh.`,
			);
		}
		return stored;
	}

	/** The stored access token of `username` (the app's: `undefined`) as a result, unless it is missing or expired. */
	#storedToken(username: string | undefined): TokenResult | undefined {
		const { backend } = this.#options;
		const token = backend.getAccessToken({ username });
		const expiresAt = Number(token?.expires_on) * 1000;
		if (token === undefined || !(expiresAt > Date.now())) return undefined;
		const account = backend.getAccount({ username });
		const refreshOn = Number(token.refresh_on) * 1000;
		return {
			accessToken: token.secret,
			expiresAt,
			refreshAt: Number.isFinite(refreshOn) ? refreshOn : undefined,
			account:
				account === undefined
					? undefined
					: { homeAccountId: account.home_account_id, username: account.username },
			scopes: (token.target ?? "").split(" ").filter((scope) => scope !== ""),
			fromCache: true,
		};
	}

	/**
	 * Fleet-wide single flight: under the store's lease, reload; if another process already
	 * refreshed, its tokens are used as they are; else refresh here and save (compare-and-set)
	 * before the next process gets the lease. The lease is renewed while the refresh runs.
	 */
	async #leasedRefresh(
		acquireLease: NonNullable<TokenBackend["acquireLease"]>,
		username: string,
		force: boolean,
		claims: string | undefined,
	): Promise<TokenResult> {
		const { backend } = this.#options;
		const lease = await acquireLease({ ttlMs: LEASE_TTL_MS, waitMs: LEASE_WAIT_MS }).catch(
			(error: unknown) => {
				if (error instanceof O365Error) throw error;
				throw new TokenBackendError(
					backend.name,
					"backend_io",
					`could not take the token lease (${error instanceof Error ? error.message : String(error)}); check that the store is reachable.`,
					{
						cause: error,
					},
				);
			},
		);
		const renewal = new LeaseRenewal(lease, this.#options.log);
		let result: TokenResult;
		try {
			if (backend.hasStateChanged) await backend.saveToken(); // nothing of ours is lost by the reload
			await backend.loadToken();
			const account = backend.getAccount({ username });
			if (account === undefined) {
				throw new AuthenticationError(
					"sign_in_required",
					`the stored token for '${username}' was removed by another process; call account.authenticate().`,
				);
			}
			// Another process may have refreshed while we waited: then its token is used as it is.
			const adopted = force || this.#needsRefresh(username) ? undefined : this.#storedToken(username);
			result = adopted ?? (await this.#silent(username, account.home_account_id, true, claims));
			await renewal.stop();
			if (this.#options.storeTokenAfterRefresh && backend.hasStateChanged) {
				if (renewal.lost && backend.writeIfVersion === undefined) {
					// Without compare-and-set a save would overwrite what the new holder stored.
					this.#options.log.log(
						"warn",
						`the refreshed token of '${username}' is kept in memory, not saved: another process took the token lease over and this backend cannot save without overwriting its token`,
					);
				} else {
					await this.#saveRefreshed();
				}
			}
		} catch (error) {
			await this.#endLease(lease, renewal);
			throw error;
		}
		await this.#endLease(lease, renewal);
		return result;
	}

	/** Stops renewing and releases; a failed release is logged, never thrown over the refresh's outcome. */
	async #endLease(lease: TokenLease, renewal: LeaseRenewal): Promise<void> {
		await renewal.stop();
		try {
			await lease.release();
		} catch (error) {
			this.#options.log.log(
				"warn",
				`could not release the token lease (${error instanceof Error ? error.message : String(error)}); it expires by itself`,
			);
		}
	}

	async #saveIfChanged(): Promise<void> {
		if (this.#options.storeTokenAfterRefresh && this.#options.backend.hasStateChanged) {
			await this.#saveRefreshed();
		}
	}

	/**
	 * Saves a token just refreshed. When the store cannot be reached (`backend_io`: an outage in
	 * the middle of the save), the caller still gets the token: the grant has been redeemed, and
	 * failing the call would not bring the old one back. The typed error is logged, and the cache
	 * stays changed, so the next save (the next refresh, or `saveToken()`) writes it.
	 */
	async #saveRefreshed(): Promise<void> {
		const { backend } = this.#options;
		try {
			await backend.saveToken();
		} catch (error) {
			if (!(error instanceof TokenBackendError) || error.code !== "backend_io") throw error;
			this.#options.log.log(
				"warn",
				`the refreshed token is kept in memory, not saved: ${error.message} The next save writes it.`,
				{ code: error.code, backend: error.backend },
			);
		}
	}

	/** One info line per sign-in or refresh: who and which scopes, never a token. */
	#logToken(what: string, result: TokenResult): void {
		const who = result.account?.username ?? "the app";
		this.#options.log.log("info", `${what} for ${who}`, { username: who, scopes: result.scopes.join(" ") });
	}

	#silent(username: string, homeAccountId: string, force: boolean, claims: string | undefined) {
		// Without a stored access token (another library purged it) `.default` asks for every
		// scope the user consented to, rather than an empty, useless token.
		const granted = this.#options.backend.getTokenScopes({ username, removeReserved: true }) ?? [];
		const scopes = granted.length > 0 ? granted : this.#options.appScopes;
		return this.#options.msal.silent({ homeAccountId, scopes, forceRefresh: force, claims });
	}

	/**
	 * After `invalid_grant`, checks whether storage holds a newer refresh token than the one just
	 * refused (another process rotated it); if so, adopts it instead of logging the user out.
	 */
	async #anotherProcessRotated(error: unknown, username: string): Promise<boolean> {
		if (!(error instanceof AuthenticationError) || error.providerError.error !== "invalid_grant")
			return false;
		const { backend } = this.#options;
		const refused = backend.getRefreshToken({ username })?.secret;
		if (!(await backend.loadToken())) return false;
		return backend.getRefreshToken({ username })?.secret !== refused;
	}

	#needsRefresh(username: string | undefined): boolean {
		const token = this.#options.backend.getAccessToken({ username });
		if (token === undefined) return true;
		// msal-node also refreshes once a server-sent `refresh_in` has passed: that decision is ours too.
		const refreshOn =
			token.refresh_on === undefined ? Number.POSITIVE_INFINITY : Number(token.refresh_on) * 1000;
		const renewAt = Math.min(Number(token.expires_on ?? 0) * 1000 - RENEWAL_OFFSET_MS, refreshOn);
		return !(renewAt > Date.now());
	}

	#remember(key: string, result: TokenResult): Bearer {
		const renewAt = Math.min(
			result.expiresAt - RENEWAL_OFFSET_MS,
			result.refreshAt ?? Number.POSITIVE_INFINITY,
		);
		const bearer = { token: result.accessToken, expiresAt: result.expiresAt, renewAt };
		this.#bearers.set(key, bearer);
		return bearer;
	}
}
