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
