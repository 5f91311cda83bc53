/**
 * Time limits of in-flight attempts, checked by one shared, unref'd interval instead of a timer
 * per request: on the happy path a timer (plus the signal fetch would need to cancel) costs more
 * than everything else this layer does. A limit is therefore honoured to within {@link TICK_MS}.
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
 * Settles as `promise` does, or rejects with `onTimeout()`'s error once `timeoutMs` have passed
 * (`promise` then runs on, unobserved: `abandon` receives its result).
 */
export function withDeadline<T>(
	promise: Promise<T>,
	timeoutMs: number,
	onTimeout: () => unknown,
	abandon: (value: T) => void,
): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		let expired = false;
		const entry: Pending = {
			deadline: performance.now() + timeoutMs,
			expire: () => {
				expired = true;
				reject(onTimeout());
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
