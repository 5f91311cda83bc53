import { randomUUID } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pollUntil, TokenBackendError } from "@o365/core";
import { createPrivateDirectory, FILE_MODE } from "./atomic-write-file.js";
import { isHeldHere, trackHeldLock, untrackHeldLock } from "./held-locks.js";
import { joinQueue, MAX_TIMER_MS, waitAtMost } from "./in-process-queue.js";
import {
	CLAIM_BUSY,
	CLAIM_WAIT_MS,
	claimBusyError,
	claimPathOf,
	removeIfPresent,
	removeStaleLock,
	withClaim,
} from "./lock-claim.js";
import { createLockFile, readLockFile, siblingName } from "./lock-file-io.js";
import { describeLockOwner, isStale, type LockOwner, newLockOwner, type ObservedLock } from "./lock-owner.js";

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
	/** When the lock expires by itself, in epoch milliseconds; moves forward on each `renew()`. */
	readonly expiresAt: number;
	/** Removes the lock file if it is still ours; harmless to call twice or after expiry. */
	release(): Promise<void>;
	/**
	 * Extends the lock to `ttlMs` from now, if it is still ours (even past its expiry, as long as
	 * nobody took it over); else rejects with a `TokenBackendError` coded `lease_lost`.
	 */
	renew(signal?: AbortSignal): Promise<void>;
}

/** First pause between two attempts while the lock is held by someone else, in milliseconds. */
const FIRST_POLL_MS = 10;
/** Longest pause between two attempts, in milliseconds. */
const MAX_POLL_MS = 50;
/** Attempts allowed past the deadline when the lock has just become free. */
const MAX_EXTRA_ATTEMPTS = 3;

/**
 * Takes the lock file `lockPath` (creating its folder `0700` if needed), waiting up to `waitMs`
 * for the holder to release it, for it to expire, or for its holder to be found dead.
 *
 * The file is created complete and atomically and only if absent (see `createLockFile`), so of
 * two processes racing, exactly one wins. A stale lock is removed only under its claim (see
 * `lock-claim.ts`), which makes a takeover atomic: a live lock is never moved nor removed. Callers
 * of one process wait in line (first come, first served) and only the first of them polls; see
 * `in-process-queue.ts`.
 *
 * @throws TokenBackendError `lease_timeout` after `waitMs`, naming the holder (pid@host) and until when.
 * @throws TokenBackendError `backend_invalid_config` when something else than a regular file stands at `lockPath`.
 * @throws the signal's reason, promptly, when `signal` aborts.
 */
export async function acquireLockFile(lockPath: string, options: LockFileOptions): Promise<HeldLockFile> {
	const { signal, backendName, ttlMs } = options;
	signal?.throwIfAborted();
	if (!(Number.isFinite(ttlMs) && ttlMs > 0) || !(options.waitMs >= 0)) {
		throw new TokenBackendError(
			backendName,
			"invalid_option",
			`${options.label} needs a finite ttlMs above 0 and a waitMs of 0 or more (got ttlMs ${ttlMs}, waitMs ${options.waitMs}).`,
		);
	}
	const deadline = Date.now() + options.waitMs;
	const ticket = joinQueue(lockPath);
	try {
		if (!(await waitAtMost(ticket.turn, deadline - Date.now(), signal))) {
			throw timeoutError(lockPath, (await readLockFile(lockPath, backendName))?.owner, options);
		}
		await createPrivateDirectory(path.dirname(lockPath));
		let owner = await takeLockFile(lockPath, deadline, options);
		const claim = { waitMs: CLAIM_WAIT_MS, backendName };
		// The next caller of this process gets its turn on release, or when the lock expires
		// unreleased (then it may take over, exactly as another process could).
		let expiry = setTimeout(ticket.leave, Math.min(ttlMs, MAX_TIMER_MS));
		expiry.unref();
		let releasing: Promise<void> | undefined;
		return {
			get expiresAt() {
				return owner.expiresAt;
			},
			release() {
				releasing ??= (async () => {
					try {
						// Under the claim: after our lease expired, another process may own the file now.
						const outcome = await withClaim(lockPath, owner.ownerId, claim, async () => {
							const current = await readLockFile(lockPath, backendName);
							if (current?.owner?.ownerId === owner.ownerId) await removeIfPresent(lockPath);
						});
						if (outcome === CLAIM_BUSY) throw claimBusyError(backendName, lockPath, "release");
					} finally {
						untrackHeldLock(owner.ownerId);
						clearTimeout(expiry);
						ticket.leave();
					}
				})();
				return releasing;
			},
			async renew(renewSignal?: AbortSignal) {
				renewSignal?.throwIfAborted();
				if (releasing !== undefined) throw leaseLostError(lockPath, undefined, options);
				const outcome = await withClaim(
					lockPath,
					owner.ownerId,
					{ ...claim, signal: renewSignal },
					async () => {
						const current = await readLockFile(lockPath, backendName);
						if (current?.owner?.ownerId !== owner.ownerId) throw leaseLostError(lockPath, current, options);
						const renewed: LockOwner = { ...owner, expiresAt: Date.now() + ttlMs };
						await replaceLockFile(lockPath, renewed);
						return renewed;
					},
				);
				if (outcome === CLAIM_BUSY) throw claimBusyError(backendName, lockPath, "renew");
				owner = outcome;
				clearTimeout(expiry);
				expiry = setTimeout(ticket.leave, Math.min(ttlMs, MAX_TIMER_MS));
				expiry.unref();
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
): Promise<LockOwner> {
	let extraAttempts = 0;
	let observed: ObservedLock | undefined;
	const attempt = async (): Promise<LockOwner | undefined> => {
		for (;;) {
			options.signal?.throwIfAborted();
			const owner = newLockOwner(randomUUID(), options.ttlMs);
			const raw = JSON.stringify(owner);
			if (await createLockFile(lockPath, raw, owner.ownerId)) {
				trackHeldLock(owner.ownerId, {
					path: lockPath,
					raw,
					claimPath: claimPathOf(lockPath, owner.ownerId),
				});
				return owner;
			}
			observed = await readLockFile(lockPath, options.backendName);
			// Gone (released between our two calls, or stale and removed just now): try again at once,
			// even at the deadline, but not forever if others keep winning the race.
			let progressed = observed === undefined;
			if (observed !== undefined && isStale(observed, isHeldHere)) {
				progressed = await removeStaleLock(lockPath, observed, options.backendName);
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

/**
 * Replaces our lock file with a renewed record in one step (a rename over it), so that a reader
 * sees the old record or the new one, never an empty file. Called under the lock's claim.
 */
async function replaceLockFile(lockPath: string, owner: LockOwner): Promise<void> {
	const raw = JSON.stringify(owner);
	const staging = siblingName(lockPath, `${owner.ownerId}.${randomUUID()}.tmp`);
	await writeFile(staging, raw, { flag: "wx", mode: FILE_MODE });
	try {
		await rename(staging, lockPath);
	} catch (error) {
		await rm(staging, { force: true });
		throw error;
	}
	trackHeldLock(owner.ownerId, { path: lockPath, raw, claimPath: claimPathOf(lockPath, owner.ownerId) });
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

function leaseLostError(
	lockPath: string,
	current: ObservedLock | undefined,
	options: LockFileOptions,
): TokenBackendError {
	const now =
		current === undefined ? "nobody holds it now" : `it is held by ${describeLockOwner(current.owner)}`;
	return new TokenBackendError(
		options.backendName,
		"lease_lost",
		`${options.label} (${lockPath}) is no longer ours (${now}): it expired and was taken over, or was released. Take it again before going on.`,
	);
}
