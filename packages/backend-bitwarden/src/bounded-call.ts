import { TokenBackendError } from "@o365/core";

/**
 * One store operation's time limit and the caller's signal, together. The Bitwarden SDK takes no
 * AbortSignal and has no request timeout of its own, so every SDK promise is raced against both;
 * an abandoned SDK call keeps running, and {@link BoundedCall.settled} says when it is over (the
 * per-secret queue waits for that before letting the next write of this process start).
 */
export class BoundedCall {
	readonly #signal: AbortSignal | undefined;
	readonly #deadline: AbortSignal;
	readonly #timeoutMs: number;
	readonly #backend: string;
	readonly #inFlight: Promise<unknown>[] = [];

	constructor(backend: string, timeoutMs: number, signal: AbortSignal | undefined) {
		this.#backend = backend;
		this.#timeoutMs = timeoutMs;
		this.#signal = signal;
		this.#deadline = AbortSignal.timeout(timeoutMs);
	}

	/** Rejects now if the caller aborted or the time is up. */
	check(what: string): void {
		this.#signal?.throwIfAborted();
		if (this.#deadline.aborted) throw this.#timeoutError(what);
	}

	/**
	 * Settles with `promise`, or rejects with the caller's `signal.reason` when it aborts, or with
	 * a `backend_io` error when the time limit passes; `promise` runs on (it cannot be cancelled).
	 * `track`: whether {@link BoundedCall.settled} waits for it (for calls that change the store).
	 */
	wait<T>(promise: Promise<T>, what: string, track = true): Promise<T> {
		const observed = promise.catch(() => {}); // an abandoned call's rejection is never unhandled
		if (track) this.#inFlight.push(observed);
		return new Promise<T>((resolve, reject) => {
			const onAbort = () => {
				cleanUp();
				reject(this.#signal?.aborted ? this.#signal.reason : this.#timeoutError(what));
			};
			const cleanUp = () => {
				this.#signal?.removeEventListener("abort", onAbort);
				this.#deadline.removeEventListener("abort", onAbort);
			};
			if (this.#signal?.aborted || this.#deadline.aborted) {
				onAbort();
				return;
			}
			this.#signal?.addEventListener("abort", onAbort, { once: true });
			this.#deadline.addEventListener("abort", onAbort, { once: true });
			promise.then(
				(value) => {
					cleanUp();
					resolve(value);
				},
				(error: unknown) => {
					cleanUp();
					reject(error);
				},
			);
		});
	}

	/** Whether `error` is the caller's abort reason, which is rethrown as it is. */
	isAbortReason(error: unknown): boolean {
		return this.#signal?.aborted === true && error === this.#signal.reason;
	}

	/** Resolves once every SDK call started through this operation has settled. */
	async settled(): Promise<void> {
		await Promise.all(this.#inFlight);
	}

	#timeoutError(what: string): TokenBackendError {
		return new TokenBackendError(
			this.#backend,
			"backend_io",
			`timed out after ${this.#timeoutMs} ms while ${what}. Check that the Bitwarden server is reachable, or raise timeoutMs.`,
		);
	}
}
