import { O365Error, redactSecrets, TokenBackendError } from "../errors.js";
import { redactCause } from "../utils/redacted-cause.js";
import { sleep } from "../utils/sleep.js";
import {
	type CacheDocument,
	type CachedAccount,
	type CachedCredential,
	emptyCacheDocument,
	expiresAtMs,
	isCacheDocumentEmpty,
	parseCacheDocument,
} from "./cache-json.js";
import { cloneCacheDocument, mergeCacheDocuments } from "./cache-merge.js";
import {
	findAccessToken,
	findAccount,
	findIdToken,
	findRefreshToken,
	listAccounts,
	removeUser,
	tokenScopes,
} from "./cache-queries.js";
import type {
	CryptographyManager,
	LeaseOptions,
	RefreshingConnection,
	StorageCallOptions,
	TokenBackend,
	TokenLease,
	TokenStorage,
	UsernameOption,
	VersionedValue,
} from "./token-backend.js";

/** How AesGcmCryptographyManager's envelopes begin: such a value is never mistaken for corrupt. */
const ENCRYPTED_PREFIX = "o365enc:";

/** How often a compare-and-set save re-reads and retries before reporting a conflict. */
const MAX_SAVE_ATTEMPTS = 12;
/** Longest pause between two save attempts, in ms; the pause is random so writers spread out. */
const MAX_SAVE_BACKOFF_MS = 50;

/** Options every backend built on {@link BaseTokenBackend} accepts. */
export interface BaseTokenBackendOptions {
	/**
	 * Encrypts what is stored and decrypts what is read. Wrong key or tampered data must throw:
	 * the backend then reports a `backend_crypto` error and never falls back to plaintext.
	 * @default undefined (stored as plaintext JSON)
	 */
	cryptographyManager?: CryptographyManager;
}

/**
 * python-o365's `BaseTokenBackend`: an in-memory MSAL token cache plus load/save to storage.
 * Subclasses implement only the storage primitives (`read`, `write`, `remove`, `exists`); the
 * guide, with complete examples, is the documentation of {@link TokenStorage}.
 */
export abstract class BaseTokenBackend implements TokenBackend {
	abstract readonly name: string;
	cryptographyManager: CryptographyManager | undefined;
	#cache: CacheDocument = emptyCacheDocument();
	/** The document as last loaded or saved: what a merge diffs against. */
	#base: CacheDocument = emptyCacheDocument();
	/** Version of the stored value `#base` came from: `null` = nothing stored, `undefined` = unknown. */
	#version: string | null | undefined;
	#changed = false;

	constructor(options: BaseTokenBackendOptions = {}) {
		this.cryptographyManager = options.cryptographyManager;
	}

	abstract read(options?: StorageCallOptions): Promise<string | undefined | null>;
	abstract write(value: string, options?: StorageCallOptions): Promise<void>;
	abstract remove(options?: StorageCallOptions): Promise<boolean>;
	abstract exists(options?: StorageCallOptions): Promise<boolean>;
	// Optional capabilities; a subclass adds them with `override` (see TokenStorage for the rules).
	quarantine?(options?: StorageCallOptions): Promise<string | undefined>;
	readVersioned?(options?: StorageCallOptions): Promise<VersionedValue | undefined | null>;
	writeIfVersion?(
		value: string,
		expectedVersion: string | null,
		options?: StorageCallOptions,
	): Promise<string | undefined>;
	acquireLease?(options: LeaseOptions): Promise<TokenLease>;

	get cache(): Readonly<CacheDocument> {
		return this.#cache;
	}

	get hasData(): boolean {
		return !isCacheDocumentEmpty(this.#cache);
	}

	get hasStateChanged(): boolean {
		return this.#changed;
	}

	serialize(): string {
		return JSON.stringify(this.#cache);
	}

	deserialize(json: string, options: { changed?: boolean } = {}): void {
		const parsed = parseCacheDocument(json);
		if (typeof parsed === "string") {
			throw new TokenBackendError(
				this.name,
				"backend_corrupt",
				"the token cache given is not MSAL cache JSON.",
			);
		}
		this.#cache = parsed;
		this.#changed = options.changed ?? false;
	}

	async loadToken(options: StorageCallOptions = {}): Promise<boolean> {
		const stored = await this.#readStored(options);
		if (stored === undefined) {
			this.#version = null;
			return false;
		}
		// Unknown until the value decodes: a save then checks again what it would replace.
		this.#version = undefined;
		this.#cache = await this.#decode(stored.value, options);
		this.#base = cloneCacheDocument(this.#cache);
		this.#version = stored.version;
		this.#changed = false;
		return true;
	}

	/**
	 * Writes the in-memory cache. A backend with compare-and-set writes only over the version it
	 * last read; when another writer got there first, what changed here is merged, entry by entry,
	 * onto what they stored, and the write is tried again.
	 */
	async saveToken(options: StorageCallOptions & { force?: boolean } = {}): Promise<boolean> {
		// An empty cache is written only when it was emptied here (removeData of the last user).
		if (!this.hasData && !this.#changed) return false;
		if (!this.#changed && !options.force) return true;
		const writeIfVersion = this.writeIfVersion?.bind(this);
		if (writeIfVersion === undefined) {
			// Not loaded here: make sure what is stored is readable before replacing it.
			if (this.#version === undefined) this.#version = (await this.#readDecoded(options))?.version ?? null;
			const value = await this.#encrypt(this.serialize());
			await this.#storageCall("save the token", () => this.write(value, options), options.signal, value);
		} else {
			if (this.#version === undefined) await this.#mergeStored(options);
			for (let attempt = 1; ; attempt += 1) {
				const value = await this.#encrypt(this.serialize());
				const expected = this.#version ?? null;
				const version = await this.#storageCall(
					"save the token",
					() => writeIfVersion(value, expected, options),
					options.signal,
					value,
				);
				if (version !== undefined) {
					this.#version = version;
					break;
				}
				if (attempt === MAX_SAVE_ATTEMPTS) {
					throw new TokenBackendError(
						this.name,
						"backend_conflict",
						`the stored token changed under every one of ${MAX_SAVE_ATTEMPTS} save attempts; too many processes write at once. Nothing was overwritten; call saveToken() again.`,
					);
				}
				await sleep(Math.random() * Math.min(MAX_SAVE_BACKOFF_MS, 2 ** attempt), options.signal);
				await this.#mergeStored(options);
			}
		}
		this.#base = cloneCacheDocument(this.#cache);
		this.#changed = false;
		return true;
	}

	async deleteToken(options: StorageCallOptions = {}): Promise<boolean> {
		return this.#storageCall("delete the stored token", () => this.remove(options), options.signal);
	}

	async checkToken(options: StorageCallOptions = {}): Promise<boolean> {
		return this.#storageCall("check for a stored token", () => this.exists(options), options.signal);
	}

	/** Default: always refresh in this process. Override to coordinate several processes. */
	async shouldRefreshToken(
		_con: RefreshingConnection,
		_options: UsernameOption = {},
	): Promise<boolean | null> {
		return true;
	}

	// python-o365's accessors, in camelCase.

	getAllAccounts(): CachedAccount[] {
		return listAccounts(this.#cache);
	}

	getAccount(query: { username?: string; homeAccountId?: string } = {}): CachedAccount | undefined {
		return findAccount(this.#cache, query);
	}

	getAccessToken(options: UsernameOption = {}): CachedCredential | undefined {
		return findAccessToken(this.#cache, options.username);
	}

	getRefreshToken(options: UsernameOption = {}): CachedCredential | undefined {
		return findRefreshToken(this.#cache, options.username);
	}

	getIdToken(options: UsernameOption = {}): CachedCredential | undefined {
		return findIdToken(this.#cache, options.username);
	}

	getTokenScopes(options: UsernameOption & { removeReserved?: boolean } = {}): string[] | undefined {
		return tokenScopes(this.#cache, options.username, options.removeReserved ?? false);
	}

	/** When the selected access token expires, or `null` when there is none. */
	tokenExpirationDatetime(options: UsernameOption = {}): Date | null {
		const token = this.getAccessToken(options);
		return token === undefined ? null : new Date(expiresAtMs(token));
	}

	tokenIsExpired(options: UsernameOption = {}): boolean {
		const expiry = this.tokenExpirationDatetime(options);
		return expiry === null || expiry.getTime() <= Date.now();
	}

	/** Whether a refresh token is held (it may still have been revoked server-side). */
	tokenIsLongLived(options: UsernameOption = {}): boolean {
		return this.getRefreshToken(options) !== undefined;
	}

	/** Forgets one user's tokens in memory (call `saveToken()` to persist); `false` if unknown. */
	removeData(options: { username: string }): boolean {
		const removed = removeUser(this.#cache, options.username);
		if (removed) this.#changed = true;
		return removed;
	}

	/** What storage holds; `null` (what Redis clients answer for a missing key) is nothing stored. */
	async #readStored(options: StorageCallOptions): Promise<VersionedValue | undefined> {
		const readVersioned = this.readVersioned?.bind(this);
		if (readVersioned !== undefined) {
			const stored = await this.#storageCall(
				"read the stored token",
				() => readVersioned(options),
				options.signal,
			);
			return stored ?? undefined;
		}
		const value = await this.#storageCall("read the stored token", () => this.read(options), options.signal);
		return value === undefined || value === null ? undefined : { value, version: "" };
	}

	/** Takes in what another writer stored, keeping what changed here since the last load or save. */
	async #mergeStored(options: StorageCallOptions): Promise<void> {
		const stored = await this.#readDecoded(options);
		const theirs = stored?.document ?? emptyCacheDocument();
		this.#cache = mergeCacheDocuments(this.#base, this.#cache, theirs);
		// From now on our changes are relative to what they stored.
		this.#base = theirs;
		this.#version = stored === undefined ? null : stored.version;
	}

	/**
	 * What storage holds, decoded, before a save replaces it. An unreadable value is never written
	 * over: once moved aside (`quarantine()`), what is stored then is read instead; a value still in
	 * place is reported as `backend_corrupt`, and the save writes nothing.
	 */
	async #readDecoded(
		options: StorageCallOptions,
	): Promise<{ document: CacheDocument; version: string } | undefined> {
		let unreadable: { stored: VersionedValue; error: TokenBackendError } | undefined;
		for (let attempt = 1; ; attempt += 1) {
			const stored = await this.#readStored(options);
			if (stored === undefined) return undefined;
			if (unreadable?.stored.value === stored.value && unreadable.stored.version === stored.version)
				throw unreadable.error;
			try {
				return { document: await this.#decode(stored.value, options), version: stored.version };
			} catch (error) {
				if (!(error instanceof TokenBackendError) || error.code !== "backend_corrupt") throw error;
				if (attempt === MAX_SAVE_ATTEMPTS) throw error;
				unreadable = { stored, error };
			}
		}
	}

	async #decode(stored: string, options: StorageCallOptions): Promise<CacheDocument> {
		if (this.cryptographyManager === undefined && stored.startsWith(ENCRYPTED_PREFIX)) {
			const keyId = stored.split(":")[2] ?? "?";
			throw new TokenBackendError(
				this.name,
				"backend_crypto",
				`the stored token is encrypted (key id "${keyId}") but this backend has no cryptographyManager; pass cryptographyManager: AesGcmCryptographyManager.fromEnv() (or its keys). The stored value was left untouched.`,
			);
		}
		const parsed = parseCacheDocument(await this.#decrypt(stored));
		if (parsed === "legacy_format") {
			throw new TokenBackendError(
				this.name,
				"backend_legacy_format",
				"the stored token was written by python-o365 2.0 or older, which MSAL cannot use; it was left untouched. " +
					"To migrate, delete it (backend.deleteToken()) and sign in again, with account.authenticate() here " +
					"or with python-o365 2.1+: both then share the new token cache.",
			);
		}
		if (typeof parsed === "string") throw await this.#corrupt(parsed, options);
		return parsed;
	}

	/** Moves an unreadable value aside (when the backend can) and builds the error that says where. */
	async #corrupt(
		problem: "not_json" | "not_an_object",
		options: StorageCallOptions,
	): Promise<TokenBackendError> {
		const what = `the stored token is not valid token-cache JSON (${problem === "not_json" ? "truncated or garbled" : "wrong shape"})`;
		if (this.quarantine === undefined) {
			return new TokenBackendError(
				this.name,
				"backend_corrupt",
				`${what}. This backend cannot move it aside, so it was left in place and no save writes over it: delete it (deleteToken()) and sign in again.`,
			);
		}
		try {
			const movedTo = await this.quarantine(options);
			return new TokenBackendError(
				this.name,
				"backend_corrupt",
				movedTo === undefined
					? `${what}; it changed while being read (another process may have just saved it), so it was left in place: load again.`
					: `${what}; it was moved aside to ${movedTo} so that the next sign-in starts clean.`,
			);
		} catch (error) {
			return new TokenBackendError(
				this.name,
				"backend_corrupt",
				`${what}, and moving it aside failed: ${describe(error)}.`,
				{
					cause: error,
				},
			);
		}
	}

	async #storageCall<T>(
		what: string,
		call: () => Promise<T>,
		signal?: AbortSignal,
		value?: string,
	): Promise<T> {
		try {
			return await call();
		} catch (error) {
			if (error instanceof O365Error || (signal?.aborted && error === signal.reason) || isAbort(error))
				throw error;
			throw new TokenBackendError(this.name, "backend_io", `could not ${what}: ${describe(error, value)}`, {
				cause: causeWithoutValue(error, value),
			});
		}
	}

	async #encrypt(plaintext: string): Promise<string> {
		if (this.cryptographyManager === undefined) return plaintext;
		try {
			return await this.cryptographyManager.encrypt(plaintext);
		} catch (error) {
			throw new TokenBackendError(
				this.name,
				"backend_crypto",
				"the cryptography manager failed to encrypt.",
				{ cause: causeWithoutValue(error, plaintext) },
			);
		}
	}

	async #decrypt(stored: string): Promise<string> {
		if (this.cryptographyManager === undefined) return stored;
		try {
			return await this.cryptographyManager.decrypt(stored);
		} catch (error) {
			throw new TokenBackendError(
				this.name,
				"backend_crypto",
				"the stored token could not be decrypted: wrong key or tampered data. The stored value was left untouched.",
				{ cause: causeWithoutValue(error, stored) },
			);
		}
	}
}

function isAbort(error: unknown): boolean {
	return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/** Longest storage error message quoted whole in ours; a longer one keeps its start and its end. */
const MAX_QUOTED_CHARS = 1200;

/**
 * An error's code and message, for wrapping, with the value being written (which a driver may
 * quote, Prisma does) replaced and every secret redacted. A long message keeps its start and its
 * end, where drivers put their reason.
 */
function describe(error: unknown, value?: string): string {
	let message = withoutValue(error instanceof Error ? error.message : String(error), value);
	if (message.length > MAX_QUOTED_CHARS) {
		message = `${message.slice(0, MAX_QUOTED_CHARS / 4)} … ${message.slice(-(MAX_QUOTED_CHARS * 3) / 4)}`;
	}
	const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
	return typeof code === "string" ? `${code}: ${message}` : message;
}

/** `text` without the stored value, as written or as quoted in a JSON string. */
function withoutValue(text: string, value: string | undefined): string {
	// A value too short to be a token cache would only mangle the message.
	if (value === undefined || value.length < 16) return text;
	const quoted = JSON.stringify(value).slice(1, -1);
	return text.split(value).join("[the stored value]").split(quoted).join("[the stored value]");
}

/** A lower error as `cause`: a redacted copy without the stored value (see `redactCause`). */
function causeWithoutValue(error: unknown, value: string | undefined): unknown {
	return redactCause(error, (text) => redactSecrets(withoutValue(text, value)));
}
