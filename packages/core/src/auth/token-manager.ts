/**
 * Hands out valid access tokens. The warm path is one map lookup: no storage I/O and no walk of
 * MSAL's cache. Near expiry (or when forced) one refresh runs per user and per process, however
 * many callers wait for it; the backend's `shouldRefreshToken` hook takes part as in python-o365.
 */

import type { TokenBackend } from "../backend/token-backend.js";
import { AuthenticationError, O365Error, TokenBackendError } from "../errors.js";
import { raceSignal } from "../utils/abort.js";
import type { AuthFlowType } from "./credentials.js";
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

interface Bearer {
	token: string;
	/** Epoch ms after which the next call goes back to MSAL. */
	renewAt: number;
}

export interface TokenManagerOptions {
	msal: MsalClient;
	backend: TokenBackend;
	authFlowType: AuthFlowType;
	/** Scopes of the app's own token, e.g. `https://graph.microsoft.com/.default`. */
	appScopes: string[];
	storeTokenAfterRefresh: boolean;
	username: string | undefined;
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
	readonly #inflight = new Map<string, Promise<string>>();
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

	getAccessToken(options: AccessTokenOptions = {}): Promise<string> {
		const key = this.#username?.toLowerCase() ?? "";
		const force = options.forceRefresh === true || options.claims !== undefined;
		if (!force) {
			const bearer = this.#bearers.get(key);
			if (bearer !== undefined && Date.now() < bearer.renewAt) return Promise.resolve(bearer.token);
		}
		const flightKey = `${force ? `force:${options.claims ?? ""}` : "renew"}:${key}`;
		let flight = this.#inflight.get(flightKey);
		if (flight === undefined) {
			flight = this.#obtain(key, force, options.claims).finally(() => this.#inflight.delete(flightKey));
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
	}

	async #obtain(key: string, force: boolean, claims: string | undefined): Promise<string> {
		await this.ensureLoaded();
		const result =
			this.#options.authFlowType === "credentials"
				? await this.#options.msal.appToken({ scopes: this.#options.appScopes, forceRefresh: force, claims })
				: await this.#userToken(force, claims);
		if (this.#options.storeTokenAfterRefresh && this.#options.backend.hasStateChanged) {
			await this.#options.backend.saveToken();
		}
		this.#remember(key, result);
		return result.accessToken;
	}

	async #userToken(force: boolean, claims: string | undefined): Promise<TokenResult> {
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
		const needsNetwork = force || this.#needsRefresh(account.username);
		if (needsNetwork && !force) {
			// python-o365's hook: false = another process refreshed and the backend reloaded.
			const decision = await backend.shouldRefreshToken(
				{ username: account.username, refreshToken: (options) => this.#forceRefresh(options?.signal) },
				{ username: account.username },
			);
			if (decision !== true) {
				this.invalidate();
				return this.#silent(account.username, account.home_account_id, false, claims);
			}
		}
		const acquireLease = backend.acquireLease?.bind(backend);
		if (needsNetwork && acquireLease !== undefined) {
			return this.#leasedRefresh(acquireLease, account.username, force, claims);
		}
		try {
			return await this.#silent(account.username, account.home_account_id, force, claims);
		} catch (error) {
			if (!(await this.#anotherProcessRotated(error, account.username))) throw error;
			return this.#silent(account.username, account.home_account_id, false, claims);
		}
	}

	/**
	 * Fleet-wide single flight: under the store's lease, reload; if another process already
	 * refreshed, its tokens are used as they are; else refresh here and save (compare-and-set)
	 * before the next process gets the lease.
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
			const refresh = force || this.#needsRefresh(username);
			const result = await this.#silent(username, account.home_account_id, refresh, claims);
			if (this.#options.storeTokenAfterRefresh && backend.hasStateChanged) await backend.saveToken();
			return result;
		} finally {
			await lease.release();
		}
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

	#forceRefresh(signal: AbortSignal | undefined): Promise<boolean> {
		return this.getAccessToken({ signal, forceRefresh: true }).then(() => true);
	}

	#needsRefresh(username: string): boolean {
		const token = this.#options.backend.getAccessToken({ username });
		return token === undefined || Number(token.expires_on ?? 0) * 1000 - RENEWAL_OFFSET_MS <= Date.now();
	}

	#remember(key: string, result: TokenResult): void {
		const renewAt = Math.min(
			result.expiresAt - RENEWAL_OFFSET_MS,
			result.refreshAt ?? Number.POSITIVE_INFINITY,
		);
		this.#bearers.set(key, { token: result.accessToken, renewAt });
	}
}
