import { randomUUID } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { newLockOwner } from "./lock-owner.js";

/** How long the claim taken while exiting lasts, in milliseconds; our pid is gone long before. */
const EXIT_CLAIM_TTL_MS = 10_000;

/** A lock file this process holds. */
export interface HeldLock {
	/** The lock file's path. */
	path: string;
	/** The exact owner record we wrote there. */
	raw: string;
	/** For a lock (not a claim): the claim file that must be held to remove it; see `lock-claim.ts`. */
	claimPath?: string;
}

/** Lock files (and claims) this process holds, by owner id. */
const held = new Map<string, HeldLock>();
let exitHandlerInstalled = false;

/** Records a lock this process now holds (or its new record after a renewal), so that a clean exit removes it. */
export function trackHeldLock(ownerId: string, lock: HeldLock): void {
	held.set(ownerId, lock);
	if (!exitHandlerInstalled) {
		exitHandlerInstalled = true;
		process.on("exit", removeHeldLocksSync);
	}
}

/** Forgets a lock once it has been released (or found to be someone else's). */
export function untrackHeldLock(ownerId: string): void {
	held.delete(ownerId);
}

/** Whether this process holds the lock with that owner id. */
export function isHeldHere(ownerId: string): boolean {
	return held.has(ownerId);
}

/**
 * On `process.exit()` or a drained event loop, removes the lock files still held, so that a
 * program that forgot to release a lease does not make the next one wait for the ttl. Only
 * synchronous calls work here. A lock is removed under its claim, as any release, and only if
 * it still holds our record: one that another process took over after ours expired, or that
 * another process is examining right now, is left alone. Killed processes run no handler at
 * all; for them, other processes on the host detect the dead pid (see `isStale`).
 */
function removeHeldLocksSync(): void {
	for (const lock of held.values()) {
		if (lock.claimPath === undefined) continue;
		try {
			const claim = JSON.stringify(newLockOwner(randomUUID(), EXIT_CLAIM_TTL_MS));
			writeFileSync(lock.claimPath, claim, { flag: "wx", mode: 0o600 });
			try {
				if (readRegularFileSync(lock.path) === lock.raw) unlinkSync(lock.path);
			} finally {
				unlinkSync(lock.claimPath);
			}
		} catch {
			// Claimed by another process, already gone, or the folder is unreachable: nothing more
			// can be done while exiting, and our pid will be gone in a moment.
		}
	}
	// Our own claims last: they are what let the loop above proceed safely in other processes.
	for (const lock of held.values()) {
		if (lock.claimPath !== undefined) continue;
		try {
			if (readRegularFileSync(lock.path) === lock.raw) unlinkSync(lock.path);
		} catch {
			// As above.
		}
	}
	held.clear();
}

/** The content of a regular file, never following a symlink nor waiting on a FIFO. */
function readRegularFileSync(file: string): string | undefined {
	const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
	try {
		return fstatSync(fd).isFile() ? readFileSync(fd, "utf8") : undefined;
	} finally {
		closeSync(fd);
	}
}
