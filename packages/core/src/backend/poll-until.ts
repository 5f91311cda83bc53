/** Options of {@link pollUntil}. */
export interface PollUntilOptions {
	/**
	 * How long to keep trying, in milliseconds, counted from the call; 0 (or less) = one attempt.
	 * Pass a lease's `waitMs` here.
	 */
	waitMs: number;
	/** Stops waiting: the call then rejects with `signal.reason`, even in the middle of a pause. */
	signal?: AbortSignal | undefined;
	/**
	 * The first pause between two attempts, in milliseconds; each later pause is 1.5 times longer,
	 * up to {@link PollUntilOptions.maxDelayMs}.
	 * @default 10
	 */
	minDelayMs?: number;
	/**
	 * The longest pause between two attempts, in milliseconds.
	 * @default 200
	 */
	maxDelayMs?: number;
	/**
	 * Varies each pause randomly by ±25%, so that processes waiting on the same shared store do not
	 * retry in lockstep. Worth it for network stores; pointless within one process.
	 * @default false
	 */
	jitter?: boolean;
}

/** How much longer each pause is than the one before. */
const GROWTH = 1.5;

/**
 * Calls `attempt` until it returns something other than `undefined`, pausing between attempts
 * with growing pauses, for at most `waitMs`: the waiting loop of a token backend's `acquireLease`
 * (try to take the lease; while another holder keeps it, wait and try again), for backend authors.
 *
 * Resolves with what `attempt` returned, or with `undefined` once `waitMs` has passed (after at
 * least one attempt): the caller then throws its own error, for a lease a `TokenBackendError`
 * coded `lease_timeout` whose message can name the holder. No pause runs past the deadline.
 * Rejects with `signal.reason` as soon as `signal` aborts (checked before every attempt, and
 * during pauses), and with whatever `attempt` throws. A lease taken by an attempt that was
 * already running when the signal aborted is still returned: release it if `signal.aborted`.
 *
 * @example
 * const lease = await pollUntil(() => this.tryTakeLease(options.ttlMs), options);
 * if (lease === undefined) throw new TokenBackendError(this.name, "lease_timeout", "…");
 */
export async function pollUntil<T>(
	attempt: () => Promise<T | undefined>,
	options: PollUntilOptions,
): Promise<T | undefined> {
	const { signal, maxDelayMs = 200, jitter = false } = options;
	const deadline = Date.now() + Math.max(0, options.waitMs);
	let pause = options.minDelayMs ?? 10;
	for (;;) {
		signal?.throwIfAborted();
		const result = await attempt();
		if (result !== undefined) return result;
		const remaining = deadline - Date.now();
		if (remaining <= 0) return undefined;
		const jittered = jitter ? pause * (0.75 + Math.random() / 2) : pause;
		await abortableDelay(Math.min(jittered, remaining), signal);
		pause = Math.min(maxDelayMs, pause * GROWTH);
	}
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function abortableDelay(ms: number, signal: AbortSignal | undefined): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) {
			reject(signal.reason);
			return;
		}
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal?.reason);
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener("abort", onAbort);
			resolve();
		}, ms);
		signal?.addEventListener("abort", onAbort, { once: true });
	});
}
