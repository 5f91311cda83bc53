import { TokenBackendError } from "@o365/core";
import { type S3Location, toBackendError } from "./s3-errors.js";

/** Default of `timeoutMs`: 30 s for each request to S3, retries included. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Runs `send` (one S3 client call) with a deadline of `timeoutMs` (retries included) and the
 * caller's signal, both passed to the SDK as `abortSignal` so that no attempt runs after the call
 * rejected. Rejects with
 * the caller's `signal.reason` when it aborts, with a `backend_io` error naming the deadline when
 * it passes, and with a typed error (see `toBackendError`) when S3 refuses; `expected(error)`
 * picks the refusals the caller handles itself (no such key, a lost condition), passed through
 * as they are.
 */
export async function boundedSend<T>(
	send: (abortSignal: AbortSignal) => Promise<T>,
	options: {
		where: S3Location;
		action: string;
		timeoutMs: number;
		signal?: AbortSignal | undefined;
		expected?: (error: unknown) => boolean;
	},
): Promise<T> {
	const { where, action, timeoutMs, signal } = options;
	signal?.throwIfAborted();
	const deadline = new AbortController();
	const timeout = new TokenBackendError(
		where.backendName,
		"backend_io",
		`S3 did not ${action} s3://${where.bucketName}/${where.key} within ${timeoutMs} ms (timeoutMs). Check that S3 (or the client's endpoint) is reachable from here, or raise timeoutMs.`,
	);
	const timer = setTimeout(() => deadline.abort(timeout), timeoutMs);
	const abortSignal = signal === undefined ? deadline.signal : AbortSignal.any([signal, deadline.signal]);
	// The SDK may finish an attempt before it looks at the signal again: settle at once regardless.
	let onAbort = () => {};
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => reject(abortSignal.reason);
		abortSignal.addEventListener("abort", onAbort, { once: true });
	});
	try {
		const sent = send(abortSignal);
		// Settled later than the race when the deadline or the signal won it: nothing to report then.
		sent.catch(() => {});
		return await Promise.race([sent, aborted]);
	} catch (error) {
		if (signal?.aborted) throw signal.reason;
		if (deadline.signal.aborted) throw timeout;
		if (options.expected?.(error)) throw error;
		throw toBackendError(error, where, action);
	} finally {
		clearTimeout(timer);
		abortSignal.removeEventListener("abort", onAbort);
		aborted.catch(() => {});
	}
}
