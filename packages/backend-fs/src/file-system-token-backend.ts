import { lstat, realpath, rename, stat, unlink } from "node:fs/promises";
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
import { fileFormat, pythonJsonDumps, type TokenFileFormat } from "./file-format.js";
import { fileLimits } from "./file-limits.js";
import { acquireLockFile, type HeldLockFile } from "./lock-file.js";
import { describeNonFile, type NotARegularFile, openRegularFile, readAtMost } from "./regular-file.js";
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
	/**
	 * Whether a token file that is a symbolic link is followed. Off by default: a link planted at
	 * the token path (to someone's `settings.json`, to `/etc/passwd`) would otherwise be read as a
	 * token and overwritten with tokens, so such a file is refused with `backend_invalid_config`
	 * and left alone. Turn it on only for a link you made: reads and saves then go to its target,
	 * which stays linked, and the lock and temporary files are created next to the target.
	 * Folders on the way may be links either way.
	 * @default false
	 */
	followSymlinks?: boolean;
	/**
	 * The largest token file read, in bytes. A larger file is refused with
	 * `backend_invalid_config`, unread and left in place.
	 * @default 10485760 (10 MiB)
	 */
	maxFileBytes?: number;
	/**
	 * How the file's JSON is laid out. `"python-o365"` writes exactly what python-o365 writes
	 * (`json.dumps(cache, indent=4)`: 4-space indents, non-ASCII as `\uXXXX`, no trailing
	 * newline), so that a file both libraries share does not change shape with each writer.
	 * Either layout is read.
	 * @default "json" (compact)
	 */
	fileFormat?: TokenFileFormat;
	/**
	 * Permission bits of the token file, set exactly (whatever the umask). python-o365 leaves its
	 * file to the umask, typically `0o644` (readable by every local user); a python-o365 process
	 * running as another user may need `0o640` or `0o644` here, at that cost.
	 * @default 0o600 (owner read/write only)
	 */
	fileMode?: number;
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
 * and concurrent writers never see a torn file), the file is `0600` (see `fileMode`) and new
 * folders `0700`, and an unreadable file (truncated, garbled, empty) is moved aside instead of
 * being loaded as an empty cache. `fileFormat: "python-o365"` writes python-o365's own layout.
 *
 * Only a regular file is read or replaced: a FIFO, a device or a socket at the token path is
 * refused, untouched, and so is a symbolic link unless `followSymlinks` (see there). At most
 * `maxFileBytes` are read.
 *
 * Processes sharing the file coordinate through two lock files next to it (next to its target
 * with `followSymlinks`): `<file>.lock` is the lease core holds around a token refresh, and
 * `<file>.write.lock` is held for the moment of each write, which makes `writeIfVersion()` a
 * true compare-and-set across processes. A lock left by a process that died is taken over as
 * soon as its pid is seen gone (same host) or its ttl has passed (any host).
 */
export class FileSystemTokenBackend extends BaseTokenBackend {
	readonly name = "fs";
	/** Absolute path of the token file. */
	readonly tokenFile: string;
	#lastRead: FileIdentity | undefined;
	readonly #followSymlinks: boolean;
	readonly #maxFileBytes: number;
	readonly #fileFormat: TokenFileFormat;
	readonly #fileMode: number;

	constructor(options: FileSystemTokenBackendOptions = {}) {
		super(options);
		this.tokenFile = resolveTokenFile(options.tokenPath, options.tokenFilename);
		({ followSymlinks: this.#followSymlinks, maxFileBytes: this.#maxFileBytes } = fileLimits(options));
		({ fileFormat: this.#fileFormat, fileMode: this.#fileMode } = fileFormat(options));
	}

	/** The cache JSON, laid out as `fileFormat` says (then encrypted, when a manager is set). */
	override serialize(): string {
		const json = super.serialize();
		return this.#fileFormat === "python-o365" ? pythonJsonDumps(JSON.parse(json)) : json;
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
		await this.#underWriteLock(target, options.signal, async () => {
			await this.#assertReplaceable(target);
			await writeFileAtomic(target, value, options.signal, this.#fileMode);
		});
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
			await writeFileAtomic(target, value, options.signal, this.#fileMode);
			return contentVersion(value);
		});
	}

	async remove(options: StorageCallOptions = {}): Promise<boolean> {
		options.signal?.throwIfAborted();
		// Nothing to remove: do not create the folder just to hold a write lock in it.
		if (!(await pathExists(this.tokenFile))) return false;
		return this.#underWriteLock(await this.#writeTarget(), options.signal, async () => {
			await this.#assertReplaceable(this.tokenFile);
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
			await (this.#followSymlinks ? stat : lstat)(this.tokenFile);
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
		// Never someone's FIFO or device, nor a link this backend did not read through.
		if (current.isSymbolicLink() ? !this.#followSymlinks : !current.isFile()) return undefined;
		const lastRead = this.#lastRead;
		// Saves replace the file (new inode), so a different identity means a newer file. A followed
		// symlink has its own identity; it is moved as it is, leaving its target alone.
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
	 * The bytes of `file`, or `undefined` when it does not exist; refuses what is not a regular
	 * file (see `openRegularFile`) and a file above `maxFileBytes`. With `remember`, notes which
	 * file they came from (same open descriptor), for `quarantine()`.
	 */
	async #readBytes(
		file: string,
		signal: AbortSignal | undefined,
		remember: boolean,
	): Promise<Buffer | undefined> {
		if (remember) this.#lastRead = undefined;
		const opened = await openRegularFile(file, this.#followSymlinks);
		if (opened === undefined) return undefined;
		if (typeof opened === "string") throw this.#notARegularFile(file, opened);
		const { handle, stats } = opened;
		try {
			const bytes =
				stats.size > this.#maxFileBytes ? undefined : await readAtMost(handle, this.#maxFileBytes, signal);
			if (bytes === undefined) {
				throw new TokenBackendError(
					this.name,
					"backend_invalid_config",
					`the token file ${file} is larger than maxFileBytes (${this.#maxFileBytes} bytes); a token cache is far smaller, so it was neither read nor moved. Check tokenPath, or raise maxFileBytes if the file really is a token cache.`,
				);
			}
			if (remember) this.#lastRead = { dev: stats.dev, ino: stats.ino };
			return bytes;
		} finally {
			await handle.close();
		}
	}

	/** Refuses to replace or remove what is not a regular file (a folder is left to fail as before). */
	async #assertReplaceable(file: string): Promise<void> {
		const stats = await (this.#followSymlinks ? stat : lstat)(file).catch((error: unknown) => {
			if (errorCode(error) === "ENOENT") return undefined;
			throw error;
		});
		const what = stats === undefined ? undefined : describeNonFile(stats);
		if (what !== undefined) throw this.#notARegularFile(file, what);
	}

	#notARegularFile(file: string, what: NotARegularFile): TokenBackendError {
		return new TokenBackendError(
			this.name,
			"backend_invalid_config",
			what === "a symbolic link"
				? `the token file ${file} is a symbolic link, which this backend does not follow unless told to: a link planted there could make it read another file as tokens and overwrite that file. Nothing was read or written. Replace the link with the file itself, or pass followSymlinks: true if you made the link.`
				: `the token file ${file} is ${what}, not a regular file; it was left untouched. Point tokenPath at a regular file or a folder.`,
		);
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
	 * Where a save goes, and the lock files beside it: the token file itself; with
	 * `followSymlinks`, through a symlink to its target, so that a token file kept elsewhere and
	 * linked into place stays linked (the rename then happens in the target's folder).
	 */
	async #writeTarget(): Promise<string> {
		if (!this.#followSymlinks) return this.tokenFile;
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
