import { setTimeout as delay, setImmediate as tick } from "node:timers/promises";
import { O365Error, TokenBackendError, type TokenLease } from "@o365/core";
import { expect } from "vitest";
import { captureError, expectO365Error } from "../assertions.js";
import { capabilityTest, createLeasing, type LeasingBackend } from "../capabilities.js";
import type { SuiteContext } from "../context.js";
import { describeGroup } from "../group.js";

/** A lease's lifetime in tests where it must outlast the test (it is always released). */
const HELD_TTL_MS = 10_000;
/** How early a lease may expire, or a wait end, against the clock here (clock reads, timers). */
export const LEASE_TOLERANCE_MS = 50;
/** How soon an aborted wait must reject. */
export const ABORT_PROMPTNESS_MS = 2_000;
/** How many instances compete in {@link checkOneHolderAtATime}. */
export const LEASE_CONTENDERS = 10;

/** Fails unless acquiring the lease from `backend` times out with `lease_timeout`; returns the error. */
export async function expectLeaseTimeout(
	backend: LeasingBackend,
	waitMs: number,
	what: string,
): Promise<O365Error> {
	const error = await captureError(() => backend.acquireLease({ ttlMs: HELD_TTL_MS, waitMs }), what);
	expect(error, `${what}: expected a TokenBackendError`).toBeInstanceOf(TokenBackendError);
	return expectO365Error(error, ["lease_timeout"], what);
}

/** While one instance holds the lease, another cannot acquire it; `expiresAt` is `ttlMs` ahead. */
export async function checkLeaseExclusive(ctx: SuiteContext): Promise<void> {
	const holder = await createLeasing(ctx);
	const before = Date.now();
	const lease = await holder.acquireLease({ ttlMs: HELD_TTL_MS, waitMs: 0 });
	try {
		expect(lease.expiresAt, "expiresAt must be epoch milliseconds").toBeTypeOf("number");
		expect(lease.expiresAt, "expiresAt must be ttlMs from acquiring").toBeGreaterThanOrEqual(
			before + HELD_TTL_MS - LEASE_TOLERANCE_MS,
		);
		expect(lease.expiresAt, "expiresAt must be ttlMs from acquiring").toBeLessThanOrEqual(
			Date.now() + HELD_TTL_MS + LEASE_TOLERANCE_MS,
		);
		await expectLeaseTimeout(await createLeasing(ctx), 100, "acquiring a lease another instance holds");
	} finally {
		await lease.release();
	}
}

/** Once released, another instance acquires the lease without waiting. */
export async function checkLeaseReleased(ctx: SuiteContext): Promise<void> {
	const first = await createLeasing(ctx);
	await (await first.acquireLease({ ttlMs: HELD_TTL_MS, waitMs: 0 })).release();
	const next = await (await createLeasing(ctx)).acquireLease({ ttlMs: HELD_TTL_MS, waitMs: 0 });
	await next.release();
}

/**
 * A holder that never releases (a crashed process) blocks others for about `ttlMs`: not less
 * (the lease was exclusive until then) and not much more (a waiter then gets it). A late
 * `release()` by the dead holder does not free the new holder's lease. `graceMs` is how much
 * longer than `ttlMs` the waiter waits (stores with coarse expiry clocks need some).
 */
export async function checkLeaseExpires(
	ctx: SuiteContext,
	options: { ttlMs?: number; graceMs?: number } = {},
): Promise<void> {
	const ttlMs = options.ttlMs ?? 500;
	const dead = await createLeasing(ctx);
	const start = Date.now();
	const abandoned = await dead.acquireLease({ ttlMs, waitMs: 0 });
	const waiter = await createLeasing(ctx);
	const lease = await waiter.acquireLease({ ttlMs: HELD_TTL_MS, waitMs: ttlMs + (options.graceMs ?? 5_000) });
	try {
		const waited = Date.now() - start;
		expect(waited, "the lease was taken before the dead holder's ttlMs ran out").toBeGreaterThanOrEqual(
			ttlMs - LEASE_TOLERANCE_MS,
		);
		await abandoned.release();
		await expectLeaseTimeout(
			await createLeasing(ctx),
			50,
			"acquiring after the dead holder's late release()",
		);
	} finally {
		await lease.release();
	}
}

/** Waiting for a held lease ends after `waitMs` with a `TokenBackendError` coded `lease_timeout`. */
export async function checkLeaseTimeout(ctx: SuiteContext, options: { waitMs?: number } = {}): Promise<void> {
	const waitMs = options.waitMs ?? 300;
	const lease = await (await createLeasing(ctx)).acquireLease({ ttlMs: HELD_TTL_MS, waitMs: 0 });
	try {
		const waiter = await createLeasing(ctx);
		const start = Date.now();
		const error = await expectLeaseTimeout(waiter, waitMs, "waiting for a held lease");
		const waited = Date.now() - start;
		expect(waited, "the wait ended before waitMs").toBeGreaterThanOrEqual(waitMs - LEASE_TOLERANCE_MS);
		expect(waited, "the wait went on long after waitMs").toBeLessThan(waitMs + 5_000);
		expect((error as TokenBackendError).backend, "the error names the backend").toBe(waiter.name);
	} finally {
		await lease.release();
	}
}

/** Whether `error` is how an acquire abandoned through `signal` may reject. */
function isAbortRejection(error: unknown, signal: AbortSignal): boolean {
	if (error === signal.reason) return true;
	if (error instanceof O365Error) return error.code === "aborted";
	return error instanceof Error && (error.cause === signal.reason || error.name === "AbortError");
}

/**
 * An `AbortSignal` ends a waiting acquire promptly, with the signal's reason (or an `AbortError`
 * caused by it), and an already-aborted signal acquires nothing.
 */
export async function checkAbortStopsWaiting(ctx: SuiteContext): Promise<void> {
	const lease = await (await createLeasing(ctx)).acquireLease({ ttlMs: HELD_TTL_MS, waitMs: 0 });
	try {
		const controller = new AbortController();
		const waiting = (await createLeasing(ctx)).acquireLease({
			ttlMs: HELD_TTL_MS,
			waitMs: HELD_TTL_MS,
			signal: controller.signal,
		});
		const timer = setTimeout(() => controller.abort(), 50);
		const start = Date.now();
		const error = await captureError(() => waiting, "an aborted acquireLease()");
		clearTimeout(timer);
		expect(Date.now() - start, "an aborted wait must end promptly").toBeLessThan(50 + ABORT_PROMPTNESS_MS);
		expect(isAbortRejection(error, controller.signal), `an aborted wait rejected with ${String(error)}`).toBe(
			true,
		);
	} finally {
		await lease.release();
	}
	const aborted = AbortSignal.abort();
	const error = await captureError(
		async () => (await createLeasing(ctx)).acquireLease({ ttlMs: HELD_TTL_MS, waitMs: 0, signal: aborted }),
		"acquireLease() with an already-aborted signal",
	);
	expect(isAbortRejection(error, aborted), `an already-aborted acquire rejected with ${String(error)}`).toBe(
		true,
	);
	await (await (await createLeasing(ctx)).acquireLease({ ttlMs: HELD_TTL_MS, waitMs: 0 })).release();
}

/**
 * When each waiter of {@link checkAbortAtGrant} aborts, relative to the holder's release: in the
 * same tick before or after it, a macrotask after it, or some milliseconds after it. Together
 * they land on every step of a backend's wait, including the attempt that takes the lease.
 */
export const ABORT_AT_GRANT_DELAYS_MS = [-1, 0, "tick", 1, 2, 5, 10, 20, 50, 100] as const;
/** How long {@link checkAbortAtGrant} lets a waiter wait before the release. */
const WAITING_MS = 30;
/** How long a new acquire may take on a lease that must be free (a leaked one is held for 10 s). */
const FREE_LEASE_WAIT_MS = 1_000;

/**
 * A waiter whose signal aborts at the moment the holder releases (just before, at once, or while
 * its attempt takes the lease) either resolves with the lease, which the caller then releases,
 * or rejects with the abort and holds nothing: in every case the lease is free afterwards. A
 * backend that takes the lease and then notices the abort must release it before rejecting.
 */
export async function checkAbortAtGrant(
	ctx: SuiteContext,
	options: { delaysMs?: ReadonlyArray<number | "tick"> } = {},
): Promise<void> {
	for (const abortAfterMs of options.delaysMs ?? ABORT_AT_GRANT_DELAYS_MS) {
		const when = abortAfterMs === "tick" ? "a macrotask after" : `${abortAfterMs} ms after`;
		const holder = await (await createLeasing(ctx)).acquireLease({ ttlMs: HELD_TTL_MS, waitMs: 0 });
		const controller = new AbortController();
		const waiting = (await createLeasing(ctx))
			.acquireLease({ ttlMs: HELD_TTL_MS, waitMs: HELD_TTL_MS, signal: controller.signal })
			.then(
				(lease) => ({ lease }),
				(error: unknown) => ({ error }),
			);
		await delay(WAITING_MS);
		if (abortAfterMs === -1) controller.abort();
		await holder.release();
		if (abortAfterMs === "tick") await tick();
		else if (abortAfterMs > 0) await delay(abortAfterMs);
		controller.abort(); // a no-op when it aborted before the release

		const outcome = await waiting;
		if ("lease" in outcome) {
			await outcome.lease.release();
		} else {
			expect(
				isAbortRejection(outcome.error, controller.signal),
				`a wait aborted ${when} the release rejected with ${String(outcome.error)}`,
			).toBe(true);
		}
		const refusal = await (await createLeasing(ctx))
			.acquireLease({ ttlMs: HELD_TTL_MS, waitMs: FREE_LEASE_WAIT_MS })
			.then(
				(lease) => lease.release(),
				(error: unknown) => error,
			);
		expect(
			refusal,
			`the lease stayed held after a wait aborted ${when} the release (the wait ${"lease" in outcome ? "resolved, and its lease was released" : "rejected"}): the backend took it and lost it. A new acquire got ${String(refusal)}`,
		).toBeUndefined();
	}
}

/** Releasing twice is harmless, and a stale `release()` never frees the next holder's lease. */
export async function checkReleaseTwice(ctx: SuiteContext): Promise<void> {
	const first = await (await createLeasing(ctx)).acquireLease({ ttlMs: HELD_TTL_MS, waitMs: 0 });
	await first.release();
	await first.release();
	const second = await (await createLeasing(ctx)).acquireLease({ ttlMs: HELD_TTL_MS, waitMs: 0 });
	try {
		await first.release();
		await expectLeaseTimeout(await createLeasing(ctx), 50, "acquiring after a stale release()");
	} finally {
		await second.release();
		await second.release();
	}
}

/** Many instances competing for the lease hold it one at a time, and every one gets it. */
export async function checkOneHolderAtATime(
	ctx: SuiteContext,
	options: { contenders?: number; holdMs?: number } = {},
): Promise<void> {
	const contenders = await Promise.all(
		Array.from({ length: options.contenders ?? LEASE_CONTENDERS }, () => createLeasing(ctx)),
	);
	let holders = 0;
	let mostHolders = 0;
	let served = 0;
	const waitMs = Math.max(1_000, Math.floor(ctx.timeoutMs / 2));
	await Promise.all(
		contenders.map(async (contender) => {
			const lease: TokenLease = await contender.acquireLease({ ttlMs: HELD_TTL_MS, waitMs });
			holders += 1;
			mostHolders = Math.max(mostHolders, holders);
			// The work done under the lease; overlapping holders would both be in here.
			await delay(options.holdMs ?? 10);
			holders -= 1;
			served += 1;
			await lease.release();
		}),
	);
	expect(mostHolders, "instances that held the lease at the same time").toBe(1);
	expect(served, "instances that got the lease").toBe(contenders.length);
}

/** lease: the cross-process lock is exclusive and self-expiring (only when the backend has one). */
export function leaseTests(ctx: SuiteContext): void {
	describeGroup(ctx, "lease", () => {
		const test = (title: string, check: (ctx: SuiteContext) => Promise<void>) =>
			capabilityTest(ctx, "lease", title, check);
		test("a held lease cannot be acquired from another instance", checkLeaseExclusive);
		test("a released lease is acquired at once by another instance", checkLeaseReleased);
		test("a holder that never releases blocks others for about ttlMs, no longer", checkLeaseExpires);
		test("waiting longer than waitMs rejects with lease_timeout", checkLeaseTimeout);
		test("an AbortSignal ends a waiting acquire promptly", checkAbortStopsWaiting);
		test("an acquire aborted at the moment it is granted leaves the lease free", checkAbortAtGrant);
		test("releasing twice is harmless and never frees another holder's lease", checkReleaseTwice);
		test(`${LEASE_CONTENDERS} competing instances hold the lease one at a time`, checkOneHolderAtATime);
	});
}
