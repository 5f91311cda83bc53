import { setTimeout as delay } from "node:timers/promises";
import { TokenBackendError, type TokenLease } from "@o365/core";
import { expect, it } from "vitest";
import { captureError, expectO365Error } from "../assertions.js";
import { hasLease, type LeasingBackend, MISSING_CAPABILITY } from "../capabilities.js";
import type { SuiteContext } from "../context.js";
import { describeGroup } from "../group.js";
import { expectLeaseTimeout, LEASE_TOLERANCE_MS } from "./lease.js";

/**
 * The lifetime of the leases renewed here, in milliseconds: short, so that tests outlive it, yet
 * long enough that a renewed lease is still held while a second instance starts and asks for it
 * (the margin is half of it; 600 ms left too little on a loaded CI machine with a slow server).
 */
export const RENEWED_TTL_MS = 1500;
/** The reason shown on renewal tests skipped because the backend's leases cannot be renewed. */
export const NO_RENEW = "the backend's leases have no renew()";

/** A held lease that can be renewed. */
type RenewableLease = TokenLease & Required<Pick<TokenLease, "renew">>;

/** Resolves once the clock is past `epochMs` (a lease's expiry is a moment, not an event). */
async function pastMoment(epochMs: number): Promise<void> {
	const left = epochMs - Date.now();
	if (left >= 0) await delay(left + 1);
}

/**
 * Takes a lease of `ttlMs` from a new instance; `undefined` when the backend has no lease or its
 * leases cannot be renewed (the lease taken to find out is released).
 */
async function takeRenewable(
	ctx: SuiteContext,
	ttlMs: number,
): Promise<{ holder: LeasingBackend; lease: RenewableLease } | undefined> {
	const holder = await ctx.create();
	if (!hasLease(holder)) return undefined;
	const lease = await holder.acquireLease({ ttlMs, waitMs: 0 });
	if (typeof lease.renew !== "function") {
		await lease.release();
		return undefined;
	}
	return { holder, lease: lease as RenewableLease };
}

/**
 * A holder that renews keeps the lease past its first `ttlMs`: another instance still cannot
 * take it then, `expiresAt` moved forward by the renewal, and after release it is free at once.
 */
export async function checkRenewKeepsLease(
	ctx: SuiteContext,
	lease: RenewableLease,
	ttlMs = RENEWED_TTL_MS,
): Promise<void> {
	try {
		const firstExpiry = lease.expiresAt;
		await delay(ttlMs / 2);
		const renewedAt = Date.now();
		await lease.renew();
		expect(lease.expiresAt, "renew() must move expiresAt to ttlMs from the renewal").toBeGreaterThanOrEqual(
			renewedAt + ttlMs - LEASE_TOLERANCE_MS,
		);
		await pastMoment(firstExpiry + LEASE_TOLERANCE_MS);
		const waiter = await ctx.create();
		if (!hasLease(waiter)) throw new Error("a second instance of the backend has no acquireLease()");
		await expectLeaseTimeout(waiter, 0, "acquiring a renewed lease after its first ttlMs");
	} finally {
		await lease.release();
	}
	const next = await ctx.create();
	if (!hasLease(next)) throw new Error("a third instance of the backend has no acquireLease()");
	await (await next.acquireLease({ ttlMs: ttlMs, waitMs: 0 })).release();
}

/**
 * A holder whose lease expired and was taken by another instance cannot renew it: renew()
 * rejects with a `TokenBackendError` coded `lease_lost`, and the new holder keeps the lease.
 */
export async function checkRenewAfterTakeover(
	ctx: SuiteContext,
	lease: RenewableLease,
	options: { ttlMs?: number; graceMs?: number } = {},
): Promise<void> {
	const ttlMs = options.ttlMs ?? RENEWED_TTL_MS;
	const taker = await ctx.create();
	if (!hasLease(taker)) throw new Error("a second instance of the backend has no acquireLease()");
	await pastMoment(lease.expiresAt);
	const taken = await taker.acquireLease({ ttlMs: 10_000, waitMs: ttlMs + (options.graceMs ?? 5_000) });
	try {
		const error = await captureError(() => lease.renew(), "renew() after another instance took the lease");
		expect(error, "renew() after a takeover: expected a TokenBackendError").toBeInstanceOf(TokenBackendError);
		expectO365Error(error, ["lease_lost"], "renew() after a takeover");
		const waiter = await ctx.create();
		if (!hasLease(waiter)) throw new Error("a third instance of the backend has no acquireLease()");
		await expectLeaseTimeout(waiter, 50, "acquiring after the old holder's failed renew()");
	} finally {
		await taken.release();
		await lease.release();
	}
}

/**
 * leaseRenewal: a holder that needs longer than its lease's ttl renews it (only when the
 * backend's leases have `renew()`; core renews while a refresh runs).
 */
export function leaseRenewalTests(ctx: SuiteContext): void {
	describeGroup(ctx, "leaseRenewal", () => {
		const test = (title: string, check: (ctx: SuiteContext, lease: RenewableLease) => Promise<void>) =>
			it(
				title,
				async ({ skip }) => {
					const backend = await ctx.create();
					if (!hasLease(backend)) skip(MISSING_CAPABILITY.lease);
					const taken = await takeRenewable(ctx, RENEWED_TTL_MS);
					if (taken === undefined) skip(NO_RENEW);
					else await check(ctx, taken.lease);
				},
				ctx.timeoutMs,
			);
		test("a renewed lease is not available to another instance after its first ttlMs", checkRenewKeepsLease);
		test(
			"renew() after another instance took the lease over rejects with lease_lost",
			checkRenewAfterTakeover,
		);
	});
}
