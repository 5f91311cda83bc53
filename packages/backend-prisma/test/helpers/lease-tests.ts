import { setTimeout as sleep } from "node:timers/promises";
import { TokenBackendError } from "@o365/core";
import { expect, it } from "vitest";
import type { TestDatabase } from "./databases.js";
import { useDatabase } from "./use-database.js";

/** The expiring lease, against a real database. */
export function leaseTests(open: () => Promise<TestDatabase>): void {
	const fx = useDatabase(open);

	it("is exclusive: a second holder times out with lease_timeout while the first holds it", async () => {
		const first = await fx.backend().acquireLease({ ttlMs: 10_000, waitMs: 0 });
		expect(first.expiresAt).toBeGreaterThan(Date.now() + 5_000);
		const started = Date.now();
		const error = await fx
			.backend()
			.acquireLease({ ttlMs: 10_000, waitMs: 150 })
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TokenBackendError);
		expect(error).toMatchObject({ code: "lease_timeout" });
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		await first.release();
	});

	it("lets exactly one of several racing processes take a free lease", async () => {
		const attempts = await Promise.allSettled(
			Array.from({ length: 6 }, () => fx.backend().acquireLease({ ttlMs: 10_000, waitMs: 0 })),
		);
		const held = attempts.filter((attempt) => attempt.status === "fulfilled");
		expect(held).toHaveLength(1);
		for (const attempt of attempts) {
			if (attempt.status === "rejected") expect(attempt.reason).toMatchObject({ code: "lease_timeout" });
		}
	});

	it("passes to a waiting holder as soon as it is released", async () => {
		const first = await fx.backend().acquireLease({ ttlMs: 10_000, waitMs: 0 });
		const second = fx.backend().acquireLease({ ttlMs: 10_000, waitMs: 5_000 });
		setTimeout(() => void first.release(), 100);
		const lease = await second;
		expect(lease.expiresAt).toBeGreaterThan(Date.now());
		await lease.release();
		await first.release(); // twice is harmless
	});

	it("expires by itself after ttlMs when its holder never releases it", async () => {
		const crashed = await fx.backend().acquireLease({ ttlMs: 200, waitMs: 0 });
		const started = Date.now();
		const lease = await fx.backend().acquireLease({ ttlMs: 10_000, waitMs: 5_000 });
		expect(Date.now()).toBeGreaterThanOrEqual(crashed.expiresAt - 5);
		expect(Date.now() - started).toBeLessThan(4_000);
		// The expired holder's late release must not free the new holder's lease.
		await crashed.release();
		await expect(fx.backend().acquireLease({ ttlMs: 1_000, waitMs: 0 })).rejects.toMatchObject({
			code: "lease_timeout",
		});
		await lease.release();
	});

	it("stops waiting when the signal aborts, rejecting with its reason", async () => {
		const first = await fx.backend().acquireLease({ ttlMs: 10_000, waitMs: 0 });
		const controller = new AbortController();
		const reason = new Error("shutting down");
		const waiting = fx.backend().acquireLease({ ttlMs: 10_000, waitMs: 10_000, signal: controller.signal });
		setTimeout(() => controller.abort(reason), 80);
		const started = Date.now();
		await expect(waiting).rejects.toBe(reason);
		expect(Date.now() - started).toBeLessThan(2_000);
		await expect(
			fx.backend().acquireLease({ ttlMs: 10_000, waitMs: 0, signal: AbortSignal.abort(reason) }),
		).rejects.toBe(reason);
		await first.release();
	});

	it("on a key never saved, stores no value and does not disturb the first save", async () => {
		const backend = fx.backend();
		const lease = await backend.acquireLease({ ttlMs: 10_000, waitMs: 0 });
		expect(await backend.exists()).toBe(false);
		expect(await backend.read()).toBeUndefined();
		expect(await backend.writeIfVersion("first", null)).toBeDefined();
		await lease.release();
		expect(await backend.read()).toBe("first");
	});

	it("does not change the value's version, so a compare-and-set save across a lease still succeeds", async () => {
		const backend = fx.backend();
		const version = (await backend.writeIfVersion("first", null))!;
		const lease = await backend.acquireLease({ ttlMs: 10_000, waitMs: 0 });
		await lease.release();
		expect(await backend.writeIfVersion("second", version)).toBeDefined();
	});

	it("renew() keeps the lease past its first ttl: nobody else can take it meanwhile", async () => {
		const lease = await fx.backend().acquireLease({ ttlMs: 1_000, waitMs: 0 });
		const firstExpiry = lease.expiresAt;
		await sleep(600);
		await lease.renew!();
		expect(lease.expiresAt, "renew moves expiresAt forward").toBeGreaterThan(firstExpiry);
		await sleep(Math.max(0, firstExpiry + 100 - Date.now())); // past the first ttl
		await expect(
			fx.backend().acquireLease({ ttlMs: 10_000, waitMs: 0 }),
			"a renewed lease is still held after its first ttl",
		).rejects.toMatchObject({ code: "lease_timeout" });
		await lease.release();
	});

	it("renew() after the lease was taken over rejects with lease_lost and leaves the new holder's lease alone", async () => {
		const crashed = await fx.backend().acquireLease({ ttlMs: 100, waitMs: 0 });
		const next = await fx.backend().acquireLease({ ttlMs: 10_000, waitMs: 5_000 });
		await expect(crashed.renew!(), "the overtaken holder learns it lost the lease").rejects.toMatchObject({
			code: "lease_lost",
		});
		await expect(
			fx.backend().acquireLease({ ttlMs: 10_000, waitMs: 0 }),
			"the new holder still holds it",
		).rejects.toMatchObject({ code: "lease_timeout" });
		await next.release();
		await expect(next.renew!(), "a released lease cannot be renewed").rejects.toMatchObject({
			code: "lease_lost",
		});
	});
}
