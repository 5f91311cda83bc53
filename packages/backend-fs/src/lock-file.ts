import { randomBytes, randomUUID } from "node:crypto";
import { link, open, readFile, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { pollUntil, TokenBackendError } from "@o365/core";
import { createPrivateDirectory, FILE_MODE } from "./atomic-write-file.js";
import { errorCode } from "./errno.js";
import { isHeldHere, trackHeldLock, untrackHeldLock } from "./held-locks.js";
import { joinQueue, MAX_TIMER_MS, waitAtMost } from "./in-process-queue.js";
import {
	describeLockOwner,
	isStale,
	type LockOwner,
	newLockOwner,
	type ObservedLock,
	parseLockOwner,
} from "./lock-owner.js";

/** Options of {@link acquireLockFile}. */
export interface LockFileOptions {
	/** How long the lock lasts unless released, in milliseconds; must be positive. */
	ttlMs: number;
	/** How long to wait for the current holder to release or expire, in milliseconds; 0 = try once. */
	waitMs: number;
	/** Stops waiting; the call then rejects with the signal's reason. */
	signal?: AbortSignal | undefined;
	/** The backend's name, for the `TokenBackendError` thrown on timeout. */
	backendName: string;
	/** What the lock protects, for messages, e.g. `"the token lease"`. */
	label: string;
}

/** A lock file held by this process. */
export interface HeldLockFile {
	/** When the lock expires by itself, in epoch milliseconds. */
	readonly expiresAt: number;
	/** Removes the lock file if it is still ours; harmless to call twice or after expiry. */
	release(): Promise<void>;
}

/** First pause between two attempts while the lock is held by someone else, in milliseconds. */
const FIRST_POLL_MS = 10;
/** Longest pause between two attempts, in milliseconds. */
const MAX_POLL_MS = 50;
/** Attempts allowed past the deadline when the lock has just become free. */
const MAX_EXTRA_ATTEMPTS = 3;
/** Errors of `link()` on file systems without hard links (FAT, some network mounts). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);
/** Windows reports a file that another process has open as busy: wait and try again. */
const TRANSIENT_ON_WINDOWS = new Set(["EPERM", "EBUSY", "EACCES"]);

/**
 * Takes the lock file `lockPath` (creating its folder `0700` if needed), waiting up to `waitMs`
 * for the holder to release it, for it to expire, or for its holder to be found dead.
 *
 * The file is created complete and atomically: the owner record is written to a uniquely named
 * file which is then hard-linked to `lockPath`; `link()` fails if `lockPath` exists, so of two
 * processes racing, exactly one wins, and nobody ever sees a half-written lock. (Where hard
 * links are not supported, `open(…, "wx")` plays the same role.) Callers of one process wait in
 * line (first come, first served) and only the first of them polls; see `in-process-queue.ts`.
 *
 * @throws TokenBackendError `lease_timeout` after `waitMs`, naming the holder (pid@host) and until when.
 * @throws the signal's reason, promptly, when `signal` aborts.
 */
export async function acquireLockFile(lockPath: string, options: LockFileOptions): Promise<HeldLockFile> {
	const { signal } = options;
	signal?.throwIfAborted();
	if (!(Number.isFinite(options.ttlMs) && options.ttlMs > 0) || !(options.waitMs >= 0)) {
		throw new TokenBackendError(
			options.backendName,
			"invalid_option",
			`${options.label} needs a finite ttlMs above 0 and a waitMs of 0 or more (got ttlMs ${options.ttlMs}, waitMs ${options.waitMs}).`,
		);
	}
	const deadline = Date.now() + options.waitMs;
	const ticket = joinQueue(lockPath);
	try {
		if (!(await waitAtMost(ticket.turn, deadline - Date.now(), signal))) {
			throw timeoutError(lockPath, (await readLockFile(lockPath))?.owner, options);
		}
		await createPrivateDirectory(path.dirname(lockPath));
		const { owner, raw } = await takeLockFile(lockPath, deadline, options);
		// The next caller of this process gets its turn on release, or when the lock expires
		// unreleased (then it may take over, exactly as another process could).
		const expiry = setTimeout(ticket.leave, Math.min(options.ttlMs, MAX_TIMER_MS));
		expiry.unref();
		let releasing: Promise<void> | undefined;
		return {
			expiresAt: owner.expiresAt,
			release() {
				releasing ??= (async () => {
					try {
						// Not `unlink`: after our lease expired, another process may own the file now.
						await removeLockIf(lockPath, raw);
						untrackHeldLock(owner.ownerId);
					} finally {
						clearTimeout(expiry);
						ticket.leave();
					}
				})();
				return releasing;
			},
		};
	} catch (error) {
		ticket.leave();
		throw error;
	}
}

/** Polls until the lock file is ours; see {@link acquireLockFile}. */
async function takeLockFile(
	lockPath: string,
	deadline: number,
	options: LockFileOptions,
): Promise<{ owner: LockOwner; raw: string }> {
	let extraAttempts = 0;
	let observed: ObservedLock | undefined;
	const attempt = async (): Promise<{ owner: LockOwner; raw: string } | undefined> => {
		for (;;) {
			options.signal?.throwIfAborted();
			const owner = newLockOwner(randomUUID(), options.ttlMs);
			const raw = JSON.stringify(owner);
			if (await createLockFile(lockPath, raw, owner.ownerId)) {
				trackHeldLock(owner.ownerId, lockPath, raw);
				return { owner, raw };
			}
			observed = await readLockFile(lockPath);
			// Gone (released between our two calls, or stale and removed just now): try again at once,
			// even at the deadline, but not forever if others keep winning the race.
			let progressed = observed === undefined;
			if (observed !== undefined && isStale(observed, isHeldHere)) {
				progressed = await removeLockIf(lockPath, observed.raw);
			}
			if (!progressed || (Date.now() >= deadline && extraAttempts++ >= MAX_EXTRA_ATTEMPTS)) return undefined;
		}
	};
	const taken = await pollUntil(attempt, {
		waitMs: deadline - Date.now(),
		signal: options.signal,
		minDelayMs: FIRST_POLL_MS,
		maxDelayMs: MAX_POLL_MS,
	});
	if (taken === undefined) throw timeoutError(lockPath, observed?.owner, options);
	return taken;
}

function timeoutError(
	lockPath: string,
	holder: LockOwner | undefined,
	options: LockFileOptions,
): TokenBackendError {
	return new TokenBackendError(
		options.backendName,
		"lease_timeout",
		`${options.label} (${lockPath}) is held by ${describeLockOwner(holder)}; waited ${options.waitMs} ms. Try again later, or wait longer.`,
	);
}

/** Creates `lockPath` holding `raw`, atomically and only if it does not exist; `false` if it does. */
async function createLockFile(lockPath: string, raw: string, ownerId: string): Promise<boolean> {
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
	// No hard links here: create in place. A reader may see the file empty for a moment, which
	// `isStale` tolerates for UNREADABLE_LOCK_GRACE_MS.
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

/** The lock file's content and time, or `undefined` when there is none. */
async function readLockFile(lockPath: string): Promise<ObservedLock | undefined> {
	let handle: Awaited<ReturnType<typeof open>>;
	try {
		handle = await open(lockPath, "r");
	} catch (error) {
		if (errorCode(error) === "ENOENT") return undefined;
		throw error;
	}
	try {
		const { mtimeMs } = await handle.stat();
		const raw = await handle.readFile("utf8");
		return { raw, owner: parseLockOwner(raw), mtimeMs };
	} finally {
		await handle.close();
	}
}

/**
 * Removes `lockPath` only if it still holds exactly `expected` (whose owner id is unique), and
 * says whether the lock is gone. Used both to release our own lock and to take over a stale one.
 *
 * Why not read-compare-unlink: between the read and the unlink, another waiter may take over
 * the same stale lock and create a fresh one, which the unlink would then destroy, and two
 * processes would hold the lock. Instead the file is first moved aside atomically, under a
 * unique name, and its content checked there: whatever was moved is exactly what is examined.
 * If it was not the lock we meant (a fresh lock created since we looked), it is put back with
 * `link()`, which cannot overwrite a lock created in the meantime. Of several waiters taking
 * over one stale lock, one moves it aside; the others find nothing (or the winner's fresh lock,
 * which they put back), and `link()` in `createLockFile` lets only one of them in.
 */
export async function removeLockIf(lockPath: string, expected: string): Promise<boolean> {
	const aside = siblingName(lockPath, `${randomBytes(6).toString("hex")}.stale`);
	try {
		await rename(lockPath, aside);
	} catch (error) {
		const code = errorCode(error);
		if (code === "ENOENT") return true;
		if (process.platform === "win32" && TRANSIENT_ON_WINDOWS.has(code ?? "")) return false;
		throw error;
	}
	const moved = await readFile(aside, "utf8").catch(() => undefined);
	if (moved === expected) {
		await unlink(aside).catch(() => undefined);
		return true;
	}
	// Not the lock we meant: put it back, unless yet another lock was created meanwhile.
	try {
		await link(aside, lockPath);
	} catch (error) {
		// Without hard links, `rename` is the only way back; it could replace a lock created in the
		// last microseconds, a window this fallback accepts.
		if (NO_HARD_LINKS.has(errorCode(error) ?? "")) await rename(aside, lockPath).catch(() => undefined);
	}
	await unlink(aside).catch(() => undefined);
	return false;
}

/** A hidden file next to `file`, e.g. `.o365_token.txt.lock.<suffix>`. */
function siblingName(file: string, suffix: string): string {
	return path.join(path.dirname(file), `.${path.basename(file)}.${suffix}`);
}
