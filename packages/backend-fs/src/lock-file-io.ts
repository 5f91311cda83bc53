import { link, open, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { TokenBackendError } from "@o365/core";
import { FILE_MODE } from "./atomic-write-file.js";
import { errorCode } from "./errno.js";
import { type ObservedLock, parseLockOwner } from "./lock-owner.js";
import { openRegularFile, readAtMost } from "./regular-file.js";

/** Errors of `link()` on file systems without hard links (FAT, some network mounts). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);
/** The most of a lock file that is read, in bytes; an owner record is about 150. */
const MAX_LOCK_BYTES = 4096;

/**
 * Creates `lockPath` holding `raw`, atomically and only if it does not exist; `false` if it does
 * (whatever it is: `link()` never follows a symlink standing there).
 *
 * The owner record is written to a uniquely named file which is then hard-linked to `lockPath`;
 * `link()` fails if `lockPath` exists, so of two processes racing, exactly one wins, and nobody
 * ever sees a half-written lock. Where hard links are not supported, `open(…, "wx")` plays the
 * same role, and a reader may see the file empty for a moment (see `isStale`).
 */
export async function createLockFile(lockPath: string, raw: string, ownerId: string): Promise<boolean> {
	const staging = siblingName(lockPath, `${ownerId}.tmp`);
	await writeFile(staging, raw, { flag: "wx", mode: FILE_MODE });
	try {
		await link(staging, lockPath);
		return true;
	} catch (error) {
		if (errorCode(error) === "EEXIST") return false;
		if (!NO_HARD_LINKS.has(errorCode(error) ?? "")) throw error;
	} finally {
		await unlink(staging).catch(() => undefined);
	}
	let handle: Awaited<ReturnType<typeof open>>;
	try {
		handle = await open(lockPath, "wx", FILE_MODE);
	} catch (error) {
		if (errorCode(error) === "EEXIST") return false;
		throw error;
	}
	try {
		await handle.writeFile(raw, "utf8");
	} finally {
		await handle.close();
	}
	return true;
}

/**
 * The lock file's content and time, or `undefined` when there is none. Never follows a symlink
 * and never waits on a FIFO: anything but a regular file at a lock's path was not made by this
 * backend, and is refused with `backend_invalid_config` (nobody can take the lock meanwhile).
 */
export async function readLockFile(lockPath: string, backendName: string): Promise<ObservedLock | undefined> {
	const opened = await openRegularFile(lockPath, false);
	if (opened === undefined) return undefined;
	if (typeof opened === "string") {
		throw new TokenBackendError(
			backendName,
			"backend_invalid_config",
			`the lock file ${lockPath} is ${opened}; lock files are regular files that this backend creates and removes itself, and it never follows or opens anything else there. Remove it, then try again.`,
		);
	}
	const { handle, stats } = opened;
	try {
		// An oversized file is no owner record: read its start only, `parseLockOwner` rejects it.
		const bytes = (await readAtMost(handle, MAX_LOCK_BYTES)) ?? Buffer.alloc(0);
		const raw = bytes.toString("utf8");
		return { raw, owner: parseLockOwner(raw), mtimeMs: stats.mtimeMs };
	} finally {
		await handle.close();
	}
}

/** A hidden file next to `file`, e.g. `.o365_token.txt.lock.<suffix>`. */
export function siblingName(file: string, suffix: string): string {
	return path.join(path.dirname(file), `.${path.basename(file)}.${suffix}`);
}
