import { readFileSync, unlinkSync } from "node:fs";

/** Lock files this process holds, by owner id: the file's path and the exact content we wrote. */
const held = new Map<string, { path: string; raw: string }>();
let exitHandlerInstalled = false;

/** Records a lock this process now holds, so that a clean exit removes it. */
export function trackHeldLock(ownerId: string, path: string, raw: string): void {
	held.set(ownerId, { path, raw });
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
 * synchronous calls work here. A file that no longer holds our content (our lease expired and
 * another process took over) is left alone. Killed processes run no handler at all; for them,
 * other processes on the host detect the dead pid (see `isStale`).
 */
function removeHeldLocksSync(): void {
	for (const { path, raw } of held.values()) {
		try {
			if (readFileSync(path, "utf8") === raw) unlinkSync(path);
		} catch {
			// Already gone, or the folder is unreachable: nothing more can be done while exiting.
		}
	}
	held.clear();
}
