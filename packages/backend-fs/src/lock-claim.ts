import { createHash, randomUUID } from "node:crypto";
import { unlink } from "node:fs/promises";
import { pollUntil, TokenBackendError } from "@o365/core";
import { errorCode } from "./errno.js";
import { isHeldHere, trackHeldLock, untrackHeldLock } from "./held-locks.js";
import { createLockFile, readLockFile, siblingName } from "./lock-file-io.js";
import { isStale, newLockOwner, type ObservedLock } from "./lock-owner.js";

/**
 * Claims: how a lock file is changed or removed without ever touching another holder's lock.
 *
 * A lock file cannot be removed "only if it still is the one we looked at" in one step: between
 * the look and the `unlink` (or a `rename` aside), another waiter may remove the same stale lock
 * and create its own, which the `unlink` would then destroy, and two processes would hold the
 * lock. So every removal or replacement of the lock held by owner X — its release, its renewal,
 * its takeover once stale — happens only while holding X's claim: a small file named after X,
 * created exclusively like a lock. Whoever holds it reads the lock again and acts only if the
 * lock still is X's (and, for a takeover, still stale). Nobody else can remove X meanwhile, and
 * nobody can create a lock while X's file exists, so what was checked is what is acted on.
 *
 * A claim is held for a few milliseconds. One left by a process killed while holding it is
 * stale by the same rules as a lock (dead pid on this host, or past its ttl), and is removed the
 * same way, under a claim of its own.
 */

/** How long a claim lasts unless removed, in milliseconds; it matters only when its holder dies on another host. */
const CLAIM_TTL_MS = 10_000;
/** How long a release or renewal waits for a claim that another process holds for a moment, in milliseconds. */
export const CLAIM_WAIT_MS = 5_000;
/** Attempts to create a claim that keeps being freed and retaken by others. */
const MAX_CLAIM_ATTEMPTS = 5;

/** What identifies one lock: its owner id, or for a file that is not an owner record, its content. */
export function lockIdentity(observed: ObservedLock): string {
	return (
		observed.owner?.ownerId ?? `content:${createHash("sha256").update(observed.raw).digest("base64url")}`
	);
}

/** The claim file of the lock `identity` at `lockPath`, e.g. `.o365_token.txt.lock.<hash>.claim`. */
export function claimPathOf(lockPath: string, identity: string): string {
	const hash = createHash("sha256").update(identity).digest("base64url").slice(0, 16);
	return siblingName(lockPath, `${hash}.claim`);
}

/** Marks "no claim could be had in time": another process is examining the same lock. */
export const CLAIM_BUSY = Symbol("claim busy");

/**
 * Runs `action` holding the claim on the lock `identity` at `lockPath`, waiting up to `waitMs`
 * for a claim another process holds; `CLAIM_BUSY` if it could not be had.
 */
export async function withClaim<T>(
	lockPath: string,
	identity: string,
	options: { waitMs: number; backendName: string; signal?: AbortSignal | undefined },
	action: () => Promise<T>,
): Promise<T | typeof CLAIM_BUSY> {
	const claimPath = claimPathOf(lockPath, identity);
	const claim = await pollUntil(() => takeClaim(claimPath, options.backendName), {
		waitMs: options.waitMs,
		signal: options.signal,
		minDelayMs: 5,
		maxDelayMs: 50,
	});
	if (claim === undefined) return CLAIM_BUSY;
	try {
		return await action();
	} finally {
		await releaseClaim(claimPath, claim, options.backendName);
	}
}

/**
 * Removes the lock `observed` if, checked again under its claim, it is still there and still
 * stale; says whether it is gone. `false` when it changed (renewed, released and retaken) or is
 * being examined by another waiter right now: the caller looks again later.
 */
export async function removeStaleLock(
	lockPath: string,
	observed: ObservedLock,
	backendName: string,
): Promise<boolean> {
	const identity = lockIdentity(observed);
	const outcome = await withClaim(lockPath, identity, { waitMs: 0, backendName }, async () => {
		const current = await readLockFile(lockPath, backendName);
		if (current === undefined) return true;
		if (lockIdentity(current) !== identity || !isStale(current, isHeldHere)) return false;
		return removeIfPresent(lockPath);
	});
	return outcome === true;
}

/** Removes `file`; `true` when it is gone, `false` when Windows says it is busy for now. */
export async function removeIfPresent(file: string): Promise<boolean> {
	try {
		await unlink(file);
	} catch (error) {
		const code = errorCode(error);
		if (code === "ENOENT") return true;
		if (process.platform === "win32" && (code === "EPERM" || code === "EBUSY" || code === "EACCES"))
			return false;
		throw error;
	}
	return true;
}

/** Creates the claim file, or removes a stale one first; `undefined` while a live one exists. */
async function takeClaim(claimPath: string, backendName: string): Promise<string | undefined> {
	for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
		const owner = newLockOwner(randomUUID(), CLAIM_TTL_MS);
		const raw = JSON.stringify(owner);
		if (await createLockFile(claimPath, raw, owner.ownerId)) {
			trackHeldLock(owner.ownerId, { path: claimPath, raw });
			return owner.ownerId;
		}
		const observed = await readLockFile(claimPath, backendName);
		if (observed === undefined) continue;
		if (!isStale(observed, isHeldHere)) return undefined;
		if (!(await removeStaleLock(claimPath, observed, backendName))) return undefined;
	}
	return undefined;
}

/**
 * Removes our claim. A plain check then `unlink`: a live claim is taken over only after its
 * ttl, and it is held for milliseconds, far less than that.
 */
async function releaseClaim(claimPath: string, ownerId: string, backendName: string): Promise<void> {
	try {
		const current = await readLockFile(claimPath, backendName);
		if (current?.owner?.ownerId === ownerId) await removeIfPresent(claimPath);
	} finally {
		// Only now: until it is gone, this process must not see its own claim as a stale one.
		untrackHeldLock(ownerId);
	}
}

/** The error of a release or renewal that could not get its lock's claim within `CLAIM_WAIT_MS`. */
export function claimBusyError(backendName: string, lockPath: string, what: string): TokenBackendError {
	return new TokenBackendError(
		backendName,
		"backend_io",
		`could not ${what} ${lockPath}: another process kept examining it for ${CLAIM_WAIT_MS} ms. Try again.`,
	);
}
