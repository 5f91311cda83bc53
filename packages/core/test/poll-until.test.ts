import { pollUntil } from "@o365/core";
import { afterEach, describe, expect, it, vi } from "vitest";

describe("pollUntil", () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it("resolves with the first attempt's result that is not undefined", async () => {
		let attempts = 0;
		const result = await pollUntil(async () => (++attempts === 3 ? "taken" : undefined), {
			waitMs: 5_000,
			minDelayMs: 1,
		});
		expect(result).toBe("taken");
		expect(attempts).toBe(3);
	});

	it("with waitMs 0, attempts once and resolves undefined", async () => {
		let attempts = 0;
		expect(await pollUntil(async () => void attempts++, { waitMs: 0 })).toBeUndefined();
		expect(attempts).toBe(1);
	});

	it("resolves undefined once waitMs has passed, not before, and pauses no longer than it", async () => {
		vi.useFakeTimers();
		const started = Date.now();
		const polling = pollUntil(async () => undefined, { waitMs: 120, minDelayMs: 10, maxDelayMs: 1_000 });
		await vi.runAllTimersAsync();
		expect(await polling).toBeUndefined();
		expect(Date.now() - started).toBe(120);
	});

	it("grows the pauses 1.5 times from minDelayMs up to maxDelayMs, the last one cut at the deadline", async () => {
		vi.useFakeTimers();
		const started = Date.now();
		const times: number[] = [];
		const polling = pollUntil(
			async () => {
				times.push(Date.now() - started);
				return undefined;
			},
			{ waitMs: 400, minDelayMs: 20, maxDelayMs: 45 },
		);
		await vi.runAllTimersAsync();
		expect(await polling).toBeUndefined();
		expect(times).toEqual([0, 20, 50, 95, 140, 185, 230, 275, 320, 365, 400]);
	});

	it("rejects with the signal's reason: before the first attempt, and promptly during a pause", async () => {
		const reason = new Error("stop");
		let attempts = 0;
		await expect(
			pollUntil(async () => void attempts++, { waitMs: 1_000, signal: AbortSignal.abort(reason) }),
		).rejects.toBe(reason);
		expect(attempts).toBe(0);

		vi.useFakeTimers();
		const controller = new AbortController();
		const started = Date.now();
		const polling = pollUntil(async () => undefined, {
			waitMs: 10_000,
			minDelayMs: 5_000,
			signal: controller.signal,
		});
		const rejected = expect(polling).rejects.toBe(reason);
		setTimeout(() => controller.abort(reason), 20);
		await vi.advanceTimersByTimeAsync(20);
		await rejected;
		expect(Date.now() - started).toBe(20); // not at the end of the 5 s pause
	});

	it("rejects with what an attempt throws", async () => {
		const failure = new Error("broken store");
		await expect(
			pollUntil(
				async () => {
					throw failure;
				},
				{ waitMs: 1_000 },
			),
		).rejects.toBe(failure);
	});
});
