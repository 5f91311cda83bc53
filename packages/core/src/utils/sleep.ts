import { abortError } from "./abort.js";

/**
 * Waits at least `ms` milliseconds (a Retry-After is a promise to the server); rejects with an
 * `aborted` error as soon as `signal` aborts. Node may fire a timer a little early, measured
 * from the call (libuv starts it from the event loop's cached time), so an early wake-up waits
 * out the rest.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) return Promise.reject(abortError(signal));
	if (ms <= 0) return Promise.resolve();
	const until = performance.now() + ms;
	return new Promise((resolve, reject) => {
		let timer: NodeJS.Timeout;
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortError(signal as AbortSignal));
		};
		const wake = () => {
			const left = until - performance.now();
			if (left > 0) {
				timer = setTimeout(wake, Math.ceil(left));
				return;
			}
			signal?.removeEventListener("abort", onAbort);
			resolve();
		};
		timer = setTimeout(wake, ms);
		signal?.addEventListener("abort", onAbort, { once: true });
	});
}
