/**
 * Errors injected by tests on the next matching token requests (`idp.failNext(...)`), and the counted queue both
 * fakes keep their faults in.
 */
import { OAuthError } from "./errors.js";
import type { InjectedFault } from "./types.js";

/** Items each usable a number of times, first queued first, so a test knows which request gets which fault. */
export class CountedQueue<T> {
	private readonly pending: Array<{ item: T; remaining: number }> = [];

	add(item: T, times: number): void {
		this.pending.push({ item, remaining: times });
	}

	/** The first item `matches` accepts (any item without it), counted as used once. */
	take(matches: (item: T) => boolean = () => true): T | undefined {
		const index = this.pending.findIndex((entry) => matches(entry.item));
		const entry = this.pending[index];
		if (!entry) return undefined;
		entry.remaining -= 1;
		if (entry.remaining <= 0) this.pending.splice(index, 1);
		return entry.item;
	}
}

export class FaultQueue {
	private readonly pending = new CountedQueue<InjectedFault>();

	add(fault: InjectedFault): void {
		this.pending.add(fault, fault.times ?? 1);
	}

	/** The error for this token request, if a queued fault matches it (first queued first). */
	take(grantType: string | undefined): OAuthError | undefined {
		const fault = this.pending.take(
			(queued) => queued.grantType === undefined || queued.grantType === grantType,
		);
		if (!fault) return undefined;
		const status = fault.status ?? 400;
		const error =
			fault.error ?? (status === 429 || status >= 500 ? "temporarily_unavailable" : "invalid_request");
		return new OAuthError(
			status,
			error,
			fault.errorDescription ?? `AADSTS90000: Fault injected by the test (HTTP ${status}, ${error}).`,
			{
				...(fault.suberror !== undefined ? { suberror: fault.suberror } : {}),
				...(fault.errorCodes !== undefined ? { errorCodes: fault.errorCodes } : {}),
				...(fault.retryAfter !== undefined ? { headers: { "Retry-After": String(fault.retryAfter) } } : {}),
			},
		);
	}
}
