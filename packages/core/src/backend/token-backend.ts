/**
 * # Writing a token backend
 *
 * A token backend keeps one opaque string — the serialized (and, with a cryptography manager,
 * encrypted) MSAL token cache — somewhere that outlives the process. Core does everything else:
 * parsing, encryption, dirty tracking, accessors, refresh. A backend never parses the value and
 * never imports msal-node.
 *
 * Extend {@link BaseTokenBackend} and implement four small storage primitives:
 *
 * ```ts
 * import { BaseTokenBackend, type StorageCallOptions } from "@o365/core";
 * import type { Redis } from "ioredis";
 *
 * export class RedisTokenBackend extends BaseTokenBackend {
 * 	readonly name = "redis";
 * 	constructor(private readonly options: { client: Redis; key: string }) {
 * 		super();
 * 	}
 * 	async read(_options?: StorageCallOptions) {
 * 		return (await this.options.client.get(this.options.key)) ?? undefined; // undefined = nothing stored
 * 	}
 * 	async write(value: string) {
 * 		await this.options.client.set(this.options.key, value); // must replace the value as a whole
 * 	}
 * 	async remove() {
 * 		return (await this.options.client.del(this.options.key)) > 0; // true if something was removed
 * 	}
 * 	async exists() {
 * 		return (await this.options.client.exists(this.options.key)) > 0;
 * 	}
 * }
 * ```
 *
 * Rules: throw on failure (core wraps it in a `TokenBackendError` that never shows the value);
 * never return a partial value (write atomically); treat the value as opaque text.
 *
 * Optional capabilities, each an extra method (add them with `override`):
 * - `readVersioned()` + `writeIfVersion()`: compare-and-set on a version the store keeps (an
 *   ETag, a row version, a content hash). Saves then never overwrite another process's newer
 *   value: core merges, entry by entry, and tries again.
 * - `acquireLease()`: a lock that expires by itself; with it, processes sharing the store refresh
 *   a token once per expiry between them (`pollUntil` helps write the wait).
 * - `quarantine()`: moves an unreadable value aside, so the next sign-in starts clean without
 *   destroying evidence.
 * - `shouldRefreshToken()`: python-o365's hook (`true` = refresh now, `false` = another process
 *   did: reload and use its tokens, `null` = this backend already refreshed).
 *
 * Prove a backend with `@o365/backend-test-suite`: one call registers the conformance suite.
 */

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

/** The storage primitives a backend author implements; see the module documentation. */
export interface TokenStorage {
	/** Short stable name used in errors and logs, e.g. `"fs"`, `"memory"`. */
	readonly name: string;
	/** The stored value, or `undefined` when nothing is stored. */
	read(options?: StorageCallOptions): Promise<string | undefined>;
	/** Replaces the stored value as a whole; readers never see a partial value. */
	write(value: string, options?: StorageCallOptions): Promise<void>;
	/** Removes the stored value; `true` if there was one. */
	remove(options?: StorageCallOptions): Promise<boolean>;
	/** Whether a value is stored, without transferring it. */
	exists(options?: StorageCallOptions): Promise<boolean>;
	/** Optional: moves an unreadable value aside and says where it went (for the error message). */
	quarantine?(options?: StorageCallOptions): Promise<string | undefined>;

	// Optional capabilities. Implement both versioned methods or neither.

	/** Compare-and-set, read side: the value with its version, or `undefined` when nothing is stored. */
	readVersioned?(options?: StorageCallOptions): Promise<VersionedValue | undefined>;
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
	/** python-o365's refresh hook: `true` refresh, `false` reloaded (use it), `null` done here. */
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
