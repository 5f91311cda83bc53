/**
 * Errors injected by tests on the next matching token requests (`idp.failNext(...)`).
 */
import { OAuthError } from "./errors.js";
import type { InjectedFault } from "./types.js";

interface PendingFault {
	fault: InjectedFault;
	remaining: number;
}

export class FaultQueue {
	private readonly pending: PendingFault[] = [];

	add(fault: InjectedFault): void {
		this.pending.push({ fault, remaining: fault.times ?? 1 });
	}

	/** The error for this token request, if a queued fault matches it (first queued first). */
	take(grantType: string | undefined): OAuthError | undefined {
		const index = this.pending.findIndex(
			(entry) => entry.fault.grantType === undefined || entry.fault.grantType === grantType,
		);
		const entry = this.pending[index];
		if (!entry) return undefined;
		entry.remaining -= 1;
		if (entry.remaining <= 0) this.pending.splice(index, 1);
		const { fault } = entry;
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
