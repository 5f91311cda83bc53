import { ConfigurationError } from "../errors.js";
import { pollUntil } from "./poll-until.js";
import type { LeaseOptions, TokenLease } from "./token-backend.js";

/** Pauses between two attempts on a held lease, in milliseconds (see {@link pollUntil}). */
export interface LeasePauses {
	/** @default 10 */
	minDelayMs?: number;
	/** @default 200 */
	maxDelayMs?: number;
}

/**
 * The whole waiting side of a backend's `acquireLease`, for backend authors: checks `ttlMs` and
 * `waitMs`, calls `attempt` (take the lease, or `undefined` while another holder keeps it) with
 * growing, jittered pauses until `waitMs` has passed, then rejects with `timedOut()` (your
 * `TokenBackendError` coded `lease_timeout`, naming where the lease lives). A lease granted just
 * as `signal` aborted is released before the call rejects with the signal's reason, so an abort
 * never leaves a lease nobody holds.
 */
export async function pollForLease(
	options: LeaseOptions,
	attempt: () => Promise<TokenLease | undefined>,
	timedOut: () => Error,
	pauses: LeasePauses = {},
): Promise<TokenLease> {
	const { ttlMs, waitMs, signal } = options;
	if (!(ttlMs > 0) || !(waitMs >= 0)) {
		throw new ConfigurationError(
			"invalid_option",
			`acquireLease needs ttlMs > 0 and waitMs >= 0 (milliseconds); got ttlMs ${ttlMs}, waitMs ${waitMs}.`,
		);
	}
	const lease = await pollUntil(attempt, { waitMs, signal, jitter: true, ...pauses });
	if (lease === undefined) throw timedOut();
	if (signal?.aborted) {
		await lease.release();
		throw signal.reason;
	}
	return lease;
}
