import os from "node:os";

/** What a lock file holds: who took the lock and until when. Never any token content. */
export interface LockOwner {
	/** Process id of the holder. */
	pid: number;
	/** `os.hostname()` of the holder's machine; a pid means something only on its own host. */
	host: string;
	/** Random UUID of this one acquisition: tells two holds by the same process apart. */
	ownerId: string;
	/** When the lock was taken, in epoch milliseconds. */
	acquiredAt: number;
	/** When the lock expires by itself, in epoch milliseconds. */
	expiresAt: number;
}

/** A lock file as read from disk: its exact text (for compare-before-remove) and what it says. */
export interface ObservedLock {
	/** The file's content, byte for byte as text; the identity used to remove exactly this lock. */
	raw: string;
	/** The parsed owner, or `undefined` when the content is not an owner record (being written, damaged). */
	owner: LockOwner | undefined;
	/** The file's modification time, in epoch milliseconds. */
	mtimeMs: number;
}

/**
 * How long a lock file whose content cannot be parsed is respected, in milliseconds after its
 * modification time. Only the fallback creation path (file systems without hard links) can show
 * an empty lock file, and only for the moment between creating it and writing the owner.
 */
const UNREADABLE_LOCK_GRACE_MS = 5_000;

/** The owner record of a new acquisition by this process. */
export function newLockOwner(ownerId: string, ttlMs: number, now = Date.now()): LockOwner {
	return { pid: process.pid, host: os.hostname(), ownerId, acquiredAt: now, expiresAt: now + ttlMs };
}

/** Parses a lock file's content; `undefined` when it is not a complete owner record. */
export function parseLockOwner(raw: string): LockOwner | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		return undefined;
	}
	if (typeof parsed !== "object" || parsed === null) return undefined;
	const record = parsed as Record<string, unknown>;
	const { pid, host, ownerId, acquiredAt, expiresAt } = record;
	if (
		typeof pid !== "number" ||
		typeof host !== "string" ||
		typeof ownerId !== "string" ||
		typeof acquiredAt !== "number" ||
		typeof expiresAt !== "number"
	) {
		return undefined;
	}
	return { pid, host, ownerId, acquiredAt, expiresAt };
}

/**
 * Whether a lock may be taken over: it expired, or its holder is known to be gone. A holder is
 * gone when it ran on this host and its pid no longer exists (`kill -9`, a crash, a power cut
 * followed by a reboot that did not reuse the pid), or when it claims to be this very process
 * but is not one of the locks this process holds (an earlier process that had the same pid, as
 * happens with pid 1 in a restarted container). A holder on another host is trusted until
 * `expiresAt`: its pid cannot be checked from here.
 *
 * @param heldHere whether this process currently holds the lock with that `ownerId`.
 */
export function isStale(
	observed: ObservedLock,
	heldHere: (ownerId: string) => boolean,
	now = Date.now(),
): boolean {
	const { owner } = observed;
	if (owner === undefined) return now - observed.mtimeMs > UNREADABLE_LOCK_GRACE_MS;
	if (owner.expiresAt <= now) return true;
	if (owner.host !== os.hostname()) return false;
	if (owner.pid === process.pid) return !heldHere(owner.ownerId);
	return !isProcessAlive(owner.pid);
}

/** `pid@host until <ISO time>`, for messages; `undefined` owner gives "an unknown holder". */
export function describeLockOwner(owner: LockOwner | undefined): string {
	if (owner === undefined) return "an unknown holder (the lock file is not readable)";
	const until = Number.isFinite(owner.expiresAt)
		? new Date(owner.expiresAt).toISOString()
		: "an unknown time";
	return `process ${owner.pid}@${owner.host} until ${until}`;
}

/**
 * Whether a process with this id exists on this host. Signal 0 checks without sending anything;
 * `EPERM` means it exists but belongs to another user. Ids below 1 are never probed: `kill(0)`
 * and negative ids address process groups.
 */
function isProcessAlive(pid: number): boolean {
	if (!Number.isSafeInteger(pid) || pid < 1) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code !== "ESRCH";
	}
}
