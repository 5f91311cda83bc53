import { type FileHandle, lstat, open, realpath, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { BaseTokenBackend, type BaseTokenBackendOptions, type StorageCallOptions } from "@o365/core";
import { writeFileAtomic } from "./atomic-write-file.js";
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

/**
 * python-o365's `FileSystemTokenBackend`: keeps the token cache in one file, by default
 * `o365_token.txt` in the working directory. Unlike python-o365, every save is atomic (readers
 * and concurrent writers never see a torn file), the file is `0600` and new folders `0700`, and
 * an unreadable file (truncated, garbled, empty) is moved aside instead of being loaded as an
 * empty cache.
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
		options.signal?.throwIfAborted();
		let handle: FileHandle;
		try {
			handle = await open(this.tokenFile, "r");
		} catch (error) {
			this.#lastRead = undefined;
			if (errorCode(error) === "ENOENT") return undefined;
			throw error;
		}
		try {
			const { dev, ino } = await handle.stat();
			const text = await handle.readFile({ encoding: "utf8", signal: options.signal });
			this.#lastRead = { dev, ino };
			return text;
		} finally {
			await handle.close();
		}
	}

	async write(value: string, options: StorageCallOptions = {}): Promise<void> {
		options.signal?.throwIfAborted();
		await writeFileAtomic(await this.#writeTarget(), value, options.signal);
	}

	async remove(options: StorageCallOptions = {}): Promise<boolean> {
		options.signal?.throwIfAborted();
		try {
			await unlink(this.tokenFile);
			return true;
		} catch (error) {
			if (errorCode(error) === "ENOENT") return false;
			throw error;
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

function errorCode(error: unknown): string | undefined {
	const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
	return typeof code === "string" ? code : undefined;
}
