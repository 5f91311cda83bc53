import { type FileHandle, lstat, open, realpath, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import {
	BaseTokenBackend,
	type BaseTokenBackendOptions,
	type LeaseOptions,
	O365Error,
	type StorageCallOptions,
	TokenBackendError,
	type TokenLease,
	type VersionedValue,
} from "@o365/core";
import { writeFileAtomic } from "./atomic-write-file.js";
import { contentVersion } from "./content-version.js";
import { errorCode } from "./errno.js";
import { acquireLockFile, type HeldLockFile } from "./lock-file.js";
import { resolveTokenFile } from "./token-file-path.js";

export interface FileSystemTokenBackendOptions extends BaseTokenBackendOptions {
	/**
	 * An existing token file, or the folder that holds (or will hold) the token file. Relative
	 * paths are resolved against the working directory at construction. A path that does not
	 * exist yet is always taken as a folder (python-o365's rule), even if it looks like a file.
	 * @default process.cwd()
	 */
	tokenPath?: string;
	/**
	 * The token file's name inside `tokenPath`; ignored when `tokenPath` is an existing file.
	 * A plain name, without folder separators.
	 * @default "o365_token.txt"
	 */
	tokenFilename?: string;
}

/** Identifies the file that `read()` last saw, so `quarantine()` never moves a newer one. */
interface FileIdentity {
	dev: number;
	ino: number;
}

/** The lease lock file's suffix: `<token file>.lock`. */
const LEASE_LOCK_SUFFIX = ".lock";
/** The write lock file's suffix: `<token file>.write.lock`. */
const WRITE_LOCK_SUFFIX = ".write.lock";
/**
 * How long the write lock lasts, in milliseconds. It is held only for one read-compare-replace
 * (milliseconds); the ttl matters only when its holder dies on another host.
 */
const WRITE_LOCK_TTL_MS = 10_000;
/** How long a write waits for the write lock, in milliseconds. */
const WRITE_LOCK_WAIT_MS = 10_000;

/**
 * python-o365's `FileSystemTokenBackend`: keeps the token cache in one file, by default
 * `o365_token.txt` in the working directory. Unlike python-o365, every save is atomic (readers
 * and concurrent writers never see a torn file), the file is `0600` and new folders `0700`, and
 * an unreadable file (truncated, garbled, empty) is moved aside instead of being loaded as an
 * empty cache.
 *
 * Processes sharing the file coordinate through two lock files next to it (next to its target
 * when the token file is a symlink): `<file>.lock` is the
 * lease core holds around a token refresh, and `<file>.write.lock` is held for the moment of each
 * write, which makes `writeIfVersion()` a true compare-and-set across processes. A lock left
 * by a process that died is taken over as soon as its pid is seen gone (same host) or its ttl
 * has passed (any host).
 */
export class FileSystemTokenBackend extends BaseTokenBackend {
	readonly name = "fs";
	/** Absolute path of the token file. */
	readonly tokenFile: string;
	#lastRead: FileIdentity | undefined;

	constructor(options: FileSystemTokenBackendOptions = {}) {
		super(options);
		this.tokenFile = resolveTokenFile(options.tokenPath, options.tokenFilename);
	}

	async read(options: StorageCallOptions = {}): Promise<string | undefined> {
		return (await this.readVersioned(options))?.value;
	}

	/** The file's content and its SHA-256 (see `content-version.ts`), both from one open file. */
	override async readVersioned(options: StorageCallOptions = {}): Promise<VersionedValue | undefined> {
		options.signal?.throwIfAborted();
		const bytes = await this.#readBytes(this.tokenFile, options.signal, true);
		return bytes === undefined
			? undefined
			: { value: bytes.toString("utf8"), version: contentVersion(bytes) };
	}

	async write(value: string, options: StorageCallOptions = {}): Promise<void> {
		options.signal?.throwIfAborted();
		const target = await this.#writeTarget();
		await this.#underWriteLock(target, options.signal, () => writeFileAtomic(target, value, options.signal));
	}

	/**
	 * Replaces the file only if its content still has `expectedVersion` (`null`: only if there is
	 * no file). Read, compare and replace happen under `<file>.write.lock`, so no other writer
	 * using this backend, in this process or another, can slip in between.
	 */
	override async writeIfVersion(
		value: string,
		expectedVersion: string | null,
		options: StorageCallOptions = {},
	): Promise<string | undefined> {
		options.signal?.throwIfAborted();
		const target = await this.#writeTarget();
		return this.#underWriteLock(target, options.signal, async () => {
			const current = await this.#readBytes(target, options.signal, false);
			if ((current === undefined ? null : contentVersion(current)) !== expectedVersion) return undefined;
			await writeFileAtomic(target, value, options.signal);
			return contentVersion(value);
		});
	}

	async remove(options: StorageCallOptions = {}): Promise<boolean> {
		options.signal?.throwIfAborted();
		// Nothing to remove: do not create the folder just to hold a write lock in it.
		if (!(await pathExists(this.tokenFile))) return false;
		return this.#underWriteLock(await this.#writeTarget(), options.signal, async () => {
			try {
				await unlink(this.tokenFile);
				return true;
			} catch (error) {
				if (errorCode(error) === "ENOENT") return false;
				throw error;
			}
		});
	}

	/**
	 * Takes the lease `<file>.lock`, shared by every process using this token file. While another
	 * holds it, polls (10 ms, growing to 50 ms) until it is released, until it expires, or until
	 * its holder is seen dead (same host: its pid is gone). A lease still held when the process
	 * exits normally is removed then; one held by a killed process is taken over as just said.
	 * The lease's `renew()` moves its expiry to `ttlMs` from now, and rejects with `lease_lost`
	 * when the lock file is no longer ours (taken over after it expired, or released).
	 *
	 * @throws TokenBackendError `lease_timeout` after `waitMs`, naming the holder (pid@host) and until when.
	 * @throws the signal's reason when `signal` aborts the wait.
	 */
	override async acquireLease(options: LeaseOptions): Promise<TokenLease> {
		const lock = await this.#leaseCall("take", options.signal, async () =>
			acquireLockFile(`${await this.#writeTarget()}${LEASE_LOCK_SUFFIX}`, {
				ttlMs: options.ttlMs,
				waitMs: options.waitMs,
				signal: options.signal,
				backendName: this.name,
				label: "the token lease",
			}),
		);
		return {
			get expiresAt() {
				return lock.expiresAt;
			},
			release: () => this.#leaseCall("release", undefined, () => lock.release()),
			// Under the lock's claim: the lock is read again and rewritten only if still ours.
			renew: (renewOptions: StorageCallOptions = {}) =>
				this.#leaseCall("renew", renewOptions.signal, () => lock.renew(renewOptions.signal)),
		};
	}

	/** Runs a lease operation; a system error becomes `backend_io`, ours and the signal's pass as they are. */
	async #leaseCall<T>(what: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
		try {
			return await call();
		} catch (error) {
			if (error instanceof O365Error || (signal?.aborted && error === signal.reason)) throw error;
			throw new TokenBackendError(
				this.name,
				"backend_io",
				`could not ${what} the token lease: ${describe(error)}`,
				{
					cause: error,
				},
			);
		}
	}

	async exists(options: StorageCallOptions = {}): Promise<boolean> {
		options.signal?.throwIfAborted();
		try {
			await stat(this.tokenFile);
			return true;
		} catch (error) {
			if (errorCode(error) === "ENOENT") return false;
			throw error;
		}
	}

	/**
	 * Renames the unreadable file to `<file>.corrupt-<UTC timestamp>` in the same folder, so the
	 * next sign-in starts clean and the evidence is kept. Does nothing (returns `undefined`) when
	 * the file has been replaced since it was read: another process saved a good token meanwhile.
	 */
	override async quarantine(options: StorageCallOptions = {}): Promise<string | undefined> {
		options.signal?.throwIfAborted();
		// Under the write lock, so that no save can replace the file between the check and the move.
		return this.#underWriteLock(await this.#writeTarget(), options.signal, () => this.#moveAside());
	}

	async #moveAside(): Promise<string | undefined> {
		const current = await lstat(this.tokenFile).catch(() => undefined);
		if (current === undefined) return undefined;
		const lastRead = this.#lastRead;
		// Saves replace the file (new inode), so a different identity means a newer file. A symlink
		// has its own identity; it is moved as it is, leaving its target alone.
		if (lastRead !== undefined && !current.isSymbolicLink()) {
			if (current.dev !== lastRead.dev || current.ino !== lastRead.ino) return undefined;
		}
		// Colons are not allowed in Windows file names.
		const stamp = new Date().toISOString().replaceAll(":", "");
		let target = `${this.tokenFile}.corrupt-${stamp}`;
		// Never overwrite an earlier quarantined file (two failures within one millisecond).
		for (let n = 2; await pathExists(target); n++) target = `${this.tokenFile}.corrupt-${stamp}-${n}`;
		await rename(this.tokenFile, target);
		return target;
	}

	/** python-o365's `repr`: the token file's path. */
	override toString(): string {
		return this.tokenFile;
	}

	/**
	 * The bytes of `file`, or `undefined` when it does not exist. With `remember`, notes which file
	 * they came from (same open descriptor), for `quarantine()`.
	 */
	async #readBytes(
		file: string,
		signal: AbortSignal | undefined,
		remember: boolean,
	): Promise<Buffer | undefined> {
		let handle: FileHandle;
		try {
			handle = await open(file, "r");
		} catch (error) {
			if (remember) this.#lastRead = undefined;
			if (errorCode(error) === "ENOENT") return undefined;
			throw error;
		}
		try {
			const { dev, ino } = await handle.stat();
			const bytes = await handle.readFile({ signal });
			if (remember) this.#lastRead = { dev, ino };
			return bytes;
		} finally {
			await handle.close();
		}
	}

	/** Runs `action` holding `<target>.write.lock`. */
	async #underWriteLock<T>(
		target: string,
		signal: AbortSignal | undefined,
		action: () => Promise<T>,
	): Promise<T> {
		const lock: HeldLockFile = await acquireLockFile(`${target}${WRITE_LOCK_SUFFIX}`, {
			ttlMs: WRITE_LOCK_TTL_MS,
			waitMs: WRITE_LOCK_WAIT_MS,
			signal,
			backendName: this.name,
			label: "the token file's write lock",
		});
		try {
			return await action();
		} finally {
			await lock.release();
		}
	}

	/**
	 * Where a save goes: through a symlink to its target, so that a token file kept elsewhere
	 * and linked into place stays linked (the rename then happens in the target's folder).
	 */
	async #writeTarget(): Promise<string> {
		try {
			return await realpath(this.tokenFile);
		} catch (error) {
			if (errorCode(error) !== "ENOENT") throw error;
			// Nothing there yet (or a dangling link): resolve the folder alone, which may not exist.
			const folder = await realpath(path.dirname(this.tokenFile)).catch(() => path.dirname(this.tokenFile));
			return path.join(folder, path.basename(this.tokenFile));
		}
	}
}

async function pathExists(candidate: string): Promise<boolean> {
	return lstat(candidate).then(
		() => true,
		() => false,
	);
}

/** An error's code and message, for wrapping; never a token. */
function describe(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const code = errorCode(error);
	return code === undefined ? error.message : `${code}: ${error.message}`;
}
