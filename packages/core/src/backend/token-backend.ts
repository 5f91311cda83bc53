// The token backend contract. The guide to writing a backend is the documentation of
// TokenStorage below, so that editors show it wherever the type is used.

import type { CacheDocument, CachedAccount, CachedCredential } from "./cache-json.js";

/** Options every storage primitive accepts. */
export interface StorageCallOptions {
	/** Abandons the call; the backend should stop waiting and reject with the signal's reason. */
	signal?: AbortSignal;
}

/**
 * Encrypts the serialized cache before it is stored and decrypts it after it is read
 * (python-o365's `cryptography_manager`). Either method may be synchronous or async.
 */
export interface CryptographyManager {
	encrypt(plaintext: string): string | Promise<string>;
	decrypt(ciphertext: string): string | Promise<string>;
}

/** What a backend's `shouldRefreshToken` hook may use of the connection that asks. */
export interface RefreshingConnection {
	/** The user whose token is about to be refreshed, if any. */
	readonly username: string | undefined;
	/** Forces a refresh now (what a backend that returns `null` calls itself). */
	refreshToken(options?: { signal?: AbortSignal }): Promise<boolean>;
}

/** A stored value and the version the store gave it (ETag, row version, generation…). */
export interface VersionedValue {
	value: string;
	/** Opaque; changes whenever the stored value changes. */
	version: string;
}

/** Options of {@link TokenStorage.acquireLease}. */
export interface LeaseOptions {
	/** How long the lease lasts unless released, in milliseconds; a crashed holder blocks no longer. */
	ttlMs: number;
	/** How long to wait for the current holder to release or expire, in milliseconds. */
	waitMs: number;
	/** Stops waiting; rejects with the signal's reason. */
	signal?: AbortSignal | undefined;
}

/** A held lease; release it in `finally`. Releasing twice, or after it expired, is harmless. */
export interface TokenLease {
	/** When the lease expires by itself, in epoch ms; moves forward on each successful renew(). */
	readonly expiresAt: number;
	release(): Promise<void>;
	/** Optional: extends the lease to `ttlMs` (the one it was taken with) from now. Rejects with a
	 * TokenBackendError coded "lease_lost" when another process holds it now (it was taken over). */
	renew?(options?: StorageCallOptions): Promise<void>;
}

/**
 * The storage primitives a token backend implements: the guide to writing one.
 *
 * A token backend keeps one opaque string (the serialized MSAL token cache, encrypted when a
 * cryptography manager is set) somewhere that outlives the process. Core does everything else:
 * parsing, encryption, dirty tracking, accessors, refresh, merging concurrent saves. A backend
 * never parses the value and never imports msal-node.
 *
 * Extend {@link BaseTokenBackend} and implement four primitives: `read`, `write`, `remove`,
 * `exists`. With ioredis:
 *
 * ```ts
 * import { BaseTokenBackend, ConfigurationError, type StorageCallOptions } from "@o365/core";
 * import type { Redis } from "ioredis";
 *
 * export class RedisTokenBackend extends BaseTokenBackend {
 * 	readonly name = "redis";
 * 	readonly #client: Redis;
 * 	readonly #key: string;
 *
 * 	constructor(options: { client: Redis; key: string }) {
 * 		super();
 * 		if (typeof options.key !== "string" || options.key === "") {
 * 			throw new ConfigurationError("backend_invalid_config", 'key must be a non-empty string, e.g. "o365:token".');
 * 		}
 * 		this.#client = options.client;
 * 		this.#key = options.key;
 * 	}
 * 	async read(options?: StorageCallOptions): Promise<string | null> {
 * 		options?.signal?.throwIfAborted(); // ioredis takes no signal: check before sending
 * 		return this.#client.get(this.#key); // null when nothing is stored
 * 	}
 * 	async write(value: string, options?: StorageCallOptions): Promise<void> {
 * 		options?.signal?.throwIfAborted();
 * 		await this.#client.set(this.#key, value); // one SET replaces the value as a whole
 * 	}
 * 	async remove(options?: StorageCallOptions): Promise<boolean> {
 * 		options?.signal?.throwIfAborted();
 * 		return (await this.#client.del(this.#key)) > 0; // true if something was removed
 * 	}
 * 	async exists(options?: StorageCallOptions): Promise<boolean> {
 * 		options?.signal?.throwIfAborted();
 * 		return (await this.#client.exists(this.#key)) > 0;
 * 	}
 * }
 * ```
 *
 * With node-redis (the `redis` package) only the client type changes; its commands answer alike
 * (`get` resolves `null` for a missing key, `del` and `exists` a count):
 *
 * ```ts
 * import { BaseTokenBackend, ConfigurationError, type StorageCallOptions } from "@o365/core";
 * import type { RedisClientType } from "redis";
 *
 * export class NodeRedisTokenBackend extends BaseTokenBackend {
 * 	readonly name = "node-redis";
 * 	readonly #client: RedisClientType;
 * 	readonly #key: string;
 *
 * 	// Pass a connected client: const client = createClient({ url }); await client.connect();
 * 	constructor(options: { client: RedisClientType; key: string }) {
 * 		super();
 * 		if (typeof options.key !== "string" || options.key === "") {
 * 			throw new ConfigurationError("backend_invalid_config", 'key must be a non-empty string, e.g. "o365:token".');
 * 		}
 * 		this.#client = options.client;
 * 		this.#key = options.key;
 * 	}
 * 	async read(options?: StorageCallOptions): Promise<string | null> {
 * 		options?.signal?.throwIfAborted();
 * 		return this.#client.get(this.#key);
 * 	}
 * 	async write(value: string, options?: StorageCallOptions): Promise<void> {
 * 		options?.signal?.throwIfAborted();
 * 		await this.#client.set(this.#key, value);
 * 	}
 * 	async remove(options?: StorageCallOptions): Promise<boolean> {
 * 		options?.signal?.throwIfAborted();
 * 		return (await this.#client.del(this.#key)) > 0;
 * 	}
 * 	async exists(options?: StorageCallOptions): Promise<boolean> {
 * 		options?.signal?.throwIfAborted();
 * 		return (await this.#client.exists(this.#key)) > 0;
 * 	}
 * }
 * ```
 *
 * ## Rules
 * - **Values**: treat the value as opaque text, byte for byte (no trimming, no re-encoding).
 *   `read()` resolves `undefined` or `null` when nothing is stored. `write()` replaces the value
 *   as a whole: a reader at any moment sees the old value or the new one, never part of one.
 * - **`signal`**: every primitive gets `options.signal`. Check `signal?.throwIfAborted()` before
 *   starting; pass the signal on to the SDK call when it takes one (fetch, the AWS SDK's
 *   `abortSignal`); and when you wait yourself (a lease, a retry pause), stop as soon as it
 *   aborts and reject with `signal.reason` (`pollUntil` does both). Never leave work running that
 *   changes the store after the call has rejected.
 * - **Bad configuration**: throw a `ConfigurationError` coded `backend_invalid_config` from the
 *   constructor (or, if only the store can tell, from the first call), with a message that says
 *   what is wrong and how to fix it. Check every option there, once.
 * - **Store failures**: let the driver's error propagate, or throw your own. Core wraps anything
 *   that is not an `O365Error` in a `TokenBackendError` coded `backend_io` and keeps the driver's
 *   error as `cause` (redacted, never showing the value). To throw one yourself:
 *   `new TokenBackendError(this.name, "backend_io", "what failed and what to do", { cause: error })`.
 * - **Leases**: `acquireLease` rejects with a `TokenBackendError` coded `lease_timeout` after
 *   `waitMs`, and a lease's `renew()` with one coded `lease_lost` when another holder took it over.
 *   A lease taken just as `signal` aborted is released before rejecting (or returned).
 * - **Secrets**: never put the stored value, or anything read from it, in a message, a `cause`
 *   you build, a property or a log line.
 *
 * ## Optional capabilities, each an extra method (add them with `override`)
 * - `readVersioned()` + `writeIfVersion()`: compare-and-set on a version the store keeps (an
 *   ETag, a row version, a content hash). Saves then never overwrite another process's newer
 *   value: core merges, entry by entry, and tries again.
 * - `acquireLease()`: a lock that expires by itself; with it, processes sharing the store refresh
 *   a token once per expiry between them (`pollUntil` helps write the wait).
 * - `quarantine()`: moves an unreadable value aside, so the next sign-in starts clean without
 *   destroying evidence. Without it, core reports an unreadable value as `backend_corrupt` and
 *   no save writes over it until it is deleted.
 * - `shouldRefreshToken()`: python-o365's hook (`true` = refresh now, `false` = another process
 *   did: reload and use its tokens, `null` = this backend already refreshed).
 *
 * Prove a backend with `@o365/backend-test-suite`: one call registers the conformance suite.
 */
export interface TokenStorage {
	/** Short stable name used in errors and logs, e.g. `"fs"`, `"memory"`. */
	readonly name: string;
	/** The stored value, or `undefined` (or `null`, as Redis clients answer) when nothing is stored. */
	read(options?: StorageCallOptions): Promise<string | undefined | null>;
	/** Replaces the stored value as a whole; readers never see a partial value. */
	write(value: string, options?: StorageCallOptions): Promise<void>;
	/** Removes the stored value; `true` if there was one. */
	remove(options?: StorageCallOptions): Promise<boolean>;
	/** Whether a value is stored, without transferring it. */
	exists(options?: StorageCallOptions): Promise<boolean>;
	/** Optional: moves an unreadable value aside and says where it went (for the error message). */
	quarantine?(options?: StorageCallOptions): Promise<string | undefined>;

	// Optional capabilities. Implement both versioned methods or neither.

	/** Compare-and-set, read side: the value with its version, or `undefined` (or `null`) when nothing is stored. */
	readVersioned?(options?: StorageCallOptions): Promise<VersionedValue | undefined | null>;
	/**
	 * Compare-and-set, write side: replaces the value only if the stored version is still
	 * `expectedVersion` (`null`: only if nothing is stored), atomically. Resolves the new version,
	 * or `undefined` when the stored value changed meanwhile (then nothing was written).
	 */
	writeIfVersion?(
		value: string,
		expectedVersion: string | null,
		options?: StorageCallOptions,
	): Promise<string | undefined>;
	/**
	 * A lock shared by every process using this store, that expires by itself after `ttlMs`.
	 * Rejects with a `TokenBackendError` coded `lease_timeout` after `waitMs`. Core reads and
	 * saves the token while holding it, so the lease must not block this backend's own reads and
	 * writes (use a separate lock for those, if any).
	 */
	acquireLease?(options: LeaseOptions): Promise<TokenLease>;
}

/** Selects a user in the token accessors; without `username`, the app token or the first user. */
export interface UsernameOption {
	username?: string | undefined;
}

/** The surface `Connection` and `Account` use: python-o365's `BaseTokenBackend` in camelCase. */
export interface TokenBackend extends TokenStorage {
	cryptographyManager: CryptographyManager | undefined;
	/** Whether the in-memory cache holds anything. */
	readonly hasData: boolean;
	/** Whether the in-memory cache changed since it was last loaded or saved. */
	readonly hasStateChanged: boolean;
	/** Replaces the in-memory cache with what storage holds; `false` when nothing is stored (the in-memory cache is then left as it is, as in python-o365). */
	loadToken(options?: StorageCallOptions): Promise<boolean>;
	/** Writes the in-memory cache; skips the write when nothing changed unless `force`. */
	saveToken(options?: StorageCallOptions & { force?: boolean }): Promise<boolean>;
	/** Removes the stored token; `true` if there was one. */
	deleteToken(options?: StorageCallOptions): Promise<boolean>;
	/** Whether a token is stored. */
	checkToken(options?: StorageCallOptions): Promise<boolean>;
	/**
	 * python-o365's refresh hook, asked before every refresh (near expiry, after a 401, and on a
	 * forced `refreshToken()`; not for a claims challenge, which only a refresh here satisfies):
	 * `true` refresh here (under the lease, if any); `false` another process refreshed and stored
	 * its token; `null` this backend refreshed (e.g. through `con.refreshToken()`, which does not
	 * ask again). After `false` or `null` core reloads and uses the stored token, never refreshing
	 * itself: if that token is missing or expired, the call rejects with an `AuthenticationError`
	 * coded `token_request_failed`.
	 */
	shouldRefreshToken(con: RefreshingConnection, options?: UsernameOption): Promise<boolean | null>;
	/** The cache document as MSAL's JSON (plaintext). */
	serialize(): string;
	/** Replaces the in-memory cache with MSAL JSON; `changed` marks it as needing a save. */
	deserialize(json: string, options?: { changed?: boolean }): void;
	/** The parsed in-memory cache; treat as read-only. */
	readonly cache: Readonly<CacheDocument>;

	// Accessors over the in-memory cache. Usernames match case-insensitively; where a user holds
	// several tokens the longest-lived wins.
	/** Every signed-in account, ordered by username. */
	getAllAccounts(): CachedAccount[];
	getAccount(query?: { username?: string; homeAccountId?: string }): CachedAccount | undefined;
	getAccessToken(options?: UsernameOption): CachedCredential | undefined;
	getRefreshToken(options?: UsernameOption): CachedCredential | undefined;
	getIdToken(options?: UsernameOption): CachedCredential | undefined;
	/** Scopes granted (the refresh token's, else the access token's); `undefined` without tokens. */
	getTokenScopes(options?: UsernameOption & { removeReserved?: boolean }): string[] | undefined;
	tokenExpirationDatetime(options?: UsernameOption): Date | null;
	tokenIsExpired(options?: UsernameOption): boolean;
	tokenIsLongLived(options?: UsernameOption): boolean;
	removeData(options: { username: string }): boolean;
}
