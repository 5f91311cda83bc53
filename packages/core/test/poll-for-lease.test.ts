import { ConfigurationError, pollForLease, type TokenLease } from "@o365/core";
import { describe, expect, it } from "vitest";

function lease(released: { count: number }): TokenLease {
	return {
		expiresAt: Date.now() + 1_000,
		release: async () => {
			released.count += 1;
		},
	};
}

describe("pollForLease: the waiting side of a backend's acquireLease", () => {
	it.each([
		[0, 10],
		[Number.NaN, 10],
		[1_000, -1],
	])("refuses ttlMs %s and waitMs %s with invalid_option, before any attempt", async (ttlMs, waitMs) => {
		let attempts = 0;
		const taking = pollForLease(
			{ ttlMs, waitMs },
			async () => {
				attempts += 1;
				return undefined;
			},
			() => new Error("timed out"),
		);
		await expect(taking).rejects.toBeInstanceOf(ConfigurationError);
		await expect(taking).rejects.toMatchObject({ code: "invalid_option" });
		expect(attempts, "no attempt with bad options").toBe(0);
	});

	it("tries again until the lease is free, and rejects with the backend's own error once waitMs passed", async () => {
		let attempts = 0;
		const released = { count: 0 };
		const granted = await pollForLease(
			{ ttlMs: 1_000, waitMs: 1_000 },
			async () => {
				attempts += 1;
				return attempts < 3 ? undefined : lease(released);
			},
			() => new Error("timed out"),
		);
		expect(attempts, "attempts until free").toBe(3);
		expect(granted.expiresAt).toBeGreaterThan(Date.now());
		const timedOut = new Error("held elsewhere");
		await expect(
			pollForLease(
				{ ttlMs: 1_000, waitMs: 30 },
				async () => undefined,
				() => timedOut,
			),
		).rejects.toBe(timedOut);
	});

	it("releases a lease granted as the signal aborted, then rejects with the signal's reason", async () => {
		const controller = new AbortController();
		const reason = new Error("shutting down");
		const released = { count: 0 };
		const taking = pollForLease(
			{ ttlMs: 1_000, waitMs: 1_000, signal: controller.signal },
			async () => {
				controller.abort(reason); // the store granted it, but the caller gave up meanwhile
				return lease(released);
			},
			() => new Error("timed out"),
		);
		await expect(taking).rejects.toBe(reason);
		expect(released.count, "the granted lease was given back").toBe(1);
	});
});
