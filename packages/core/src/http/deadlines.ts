/**
 * Time limits of in-flight attempts, checked by one shared, unref'd interval instead of a timer
 * per request (a timer costs more than everything else this layer does on the happy path). A
 * limit is therefore honoured to within {@link TICK_MS}.
 */

/** How often pending deadlines are checked, in milliseconds. */
const TICK_MS = 25;

interface Pending {
	deadline: number;
	expire: () => void;
}

const pending = new Set<Pending>();
let ticker: NodeJS.Timeout | undefined;

function sweep(): void {
	if (pending.size === 0) {
		clearInterval(ticker);
		ticker = undefined;
		return;
	}
	const now = performance.now();
	for (const entry of pending) {
		if (entry.deadline <= now) {
			pending.delete(entry);
			entry.expire();
		}
	}
}

/**
 * Calls `start` with a signal of its own and settles as the promise it returns does, or, once
 * `timeoutMs` have passed, aborts that signal with `onTimeout()`'s error and rejects with it. The
 * abort is what closes the attempt's connection; should `start` ignore the signal, its promise
 * runs on, unobserved: `abandon` receives its result.
 */
export function withDeadline<T>(
	timeoutMs: number,
	start: (signal: AbortSignal) => Promise<T>,
	onTimeout: () => unknown,
	abandon: (value: T) => void,
): Promise<T> {
	const controller = new AbortController();
	const promise = start(controller.signal);
	return new Promise<T>((resolve, reject) => {
		let expired = false;
		const entry: Pending = {
			deadline: performance.now() + timeoutMs,
			expire: () => {
				expired = true;
				const reason = onTimeout();
				reject(reason);
				controller.abort(reason);
			},
		};
		pending.add(entry);
		if (ticker === undefined) {
			ticker = setInterval(sweep, TICK_MS);
			ticker.unref();
		}
		promise.then(
			(value) => {
				if (expired) abandon(value);
				else {
					pending.delete(entry);
					resolve(value);
				}
			},
			(error: unknown) => {
				pending.delete(entry);
				reject(error);
			},
		);
	});
}
