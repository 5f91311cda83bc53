/**
 * Lines up the callers of one process that want the same lock file, first come first served, so
 * that only the head of the line polls the file system. Without it, every waiter in the process
 * polls, and each release sets off a stampede of file-system calls that delays the next holder.
 */
const tails = new Map<string, Promise<void>>();

/** The longest delay `setTimeout` honours, in milliseconds. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A place in the line for one key. */
export interface QueueTicket {
	/** Settles when everyone ahead has left. */
	readonly turn: Promise<void>;
	/** Leaves the line (before or after the turn came); harmless to call twice. */
	leave(): void;
}

/** Joins the line for `key`. Always call `leave()`, even when giving up before the turn. */
export function joinQueue(key: string): QueueTicket {
	const ahead = tails.get(key) ?? Promise.resolve();
	let leave = () => {};
	const left = new Promise<void>((resolve) => {
		leave = resolve;
	});
	// Whoever comes next waits for both: everyone ahead of us, then us. Leaving early (a timeout)
	// keeps that order, since `ahead` is still awaited.
	const tail = ahead.then(() => left);
	tails.set(key, tail);
	void tail.then(() => {
		if (tails.get(key) === tail) tails.delete(key);
	});
	return { turn: ahead, leave };
}

/**
 * Waits for `promise` up to `ms` milliseconds: `true` if it settled in time, `false` if not;
 * rejects with the signal's own reason as soon as it aborts.
 */
export function waitAtMost(
	promise: Promise<void>,
	ms: number,
	signal: AbortSignal | undefined,
): Promise<boolean> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) {
			reject(signal.reason);
			return;
		}
		const finish = (settle: () => void) => {
			clearTimeout(timer);
			signal?.removeEventListener("abort", onAbort);
			settle();
		};
		const onAbort = () => finish(() => reject(signal?.reason));
		// setTimeout fires at once for delays beyond 2^31-1 ms; such a wait is "forever".
		const timer =
			ms < MAX_TIMER_MS ? setTimeout(() => finish(() => resolve(false)), Math.max(0, ms)) : undefined;
		signal?.addEventListener("abort", onAbort, { once: true });
		void promise.then(() => finish(() => resolve(true)));
	});
}
