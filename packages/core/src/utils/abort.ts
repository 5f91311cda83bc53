import { O365Error } from "../errors.js";

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts, leaving `promise` to run on for
 * whoever else awaits it (a shared refresh must not die because one caller gave up).
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (signal === undefined) return promise;
	if (signal.aborted) {
		promise.catch(() => {}); // settles unobserved otherwise: an unhandled rejection
		return Promise.reject(abortError(signal));
	}
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(abortError(signal));
		signal.addEventListener("abort", onAbort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener("abort", onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener("abort", onAbort);
				reject(error);
			},
		);
	});
}

/** The typed error for an aborted wait; the signal's reason is kept as `cause`. */
export function abortError(signal: AbortSignal): O365Error {
	return new O365Error("aborted", "the operation was aborted by its AbortSignal.", { cause: signal.reason });
}

/** What a `signal` option must be, for error messages. */
export const ABORT_SIGNAL_EXPECTED =
	"an AbortSignal, e.g. new AbortController().signal or AbortSignal.timeout(5000)";

/**
 * Whether `value` is a real AbortSignal. Look-alikes are refused: fetch and `AbortSignal.any`
 * accept only real ones, and a Proxy around one fails when its state is read.
 */
export function isAbortSignal(value: unknown): value is AbortSignal {
	try {
		return value instanceof AbortSignal && typeof value.aborted === "boolean";
	} catch {
		return false;
	}
}
