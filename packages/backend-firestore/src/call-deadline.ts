import { TokenBackendError } from "@o365/core";

/**
 * The time limit of one backend call. The Firestore client retries an unreachable server for
 * about ten minutes and takes no signal, so every step of a call races this deadline and the
 * caller's `AbortSignal`: the call rejects at once when either ends, and starts no further step.
 * A step already sent cannot be cancelled; see {@link CallDeadline.run} for what happens to it.
 */
export class CallDeadline {
	readonly #ended: Promise<never>;
	readonly #timer: ReturnType<typeof setTimeout>;
	readonly #signal: AbortSignal | undefined;
	readonly #onAbort: () => void;
	#reason: unknown;

	/**
	 * @param backendName - for the error's `[o365:<name>]` prefix.
	 * @param what - what the call does, for the timeout message ("read the token").
	 * @param timeoutMs - the limit, in milliseconds.
	 * @param signal - the caller's signal: its reason is the rejection once it aborts.
	 */
	constructor(backendName: string, what: string, timeoutMs: number, signal: AbortSignal | undefined) {
		signal?.throwIfAborted();
		this.#signal = signal;
		let end!: (reason: unknown) => void;
		this.#ended = new Promise<never>((_, reject) => {
			end = (reason) => {
				this.#reason ??= reason;
				reject(this.#reason);
			};
		});
		this.#ended.catch(() => {}); // nobody may be racing it when it ends
		this.#timer = setTimeout(
			() =>
				end(
					new TokenBackendError(
						backendName,
						"backend_io",
						`could not ${what}: Firestore did not answer within ${timeoutMs} ms (the timeoutMs option). Check that the server is reachable and that the client's project and credentials are right, or raise timeoutMs.`,
					),
				),
			timeoutMs,
		);
		this.#onAbort = () => end(signal?.reason);
		signal?.addEventListener("abort", this.#onAbort, { once: true });
	}

	/** Throws the timeout error or the abort reason once the deadline has ended. */
	throwIfEnded(): void {
		if (this.#reason !== undefined) throw this.#reason;
	}

	/**
	 * Runs one step, racing the deadline. When the deadline wins, the step goes on in the client
	 * and `onAbandoned` receives what it resolves later (e.g. to release a lease it took).
	 */
	async run<T>(step: () => Promise<T>, onAbandoned?: (late: T) => void): Promise<T> {
		this.throwIfEnded();
		const pending = step();
		let abandoned = false;
		pending.then(
			(late) => {
				if (abandoned) onAbandoned?.(late);
			},
			() => {}, // an abandoned step's failure has no one to tell
		);
		try {
			return await Promise.race([pending, this.#ended]);
		} catch (error) {
			if (this.#reason !== undefined && error === this.#reason) abandoned = true;
			throw error;
		}
	}

	/** Stops the timer; call in `finally`. */
	dispose(): void {
		clearTimeout(this.#timer);
		this.#signal?.removeEventListener("abort", this.#onAbort);
	}
}

/** Runs `call` under a new {@link CallDeadline}, disposed of when it settles. */
export async function withDeadline<T>(
	backendName: string,
	what: string,
	timeoutMs: number,
	signal: AbortSignal | undefined,
	call: (deadline: CallDeadline) => Promise<T>,
): Promise<T> {
	const deadline = new CallDeadline(backendName, what, timeoutMs, signal);
	try {
		return await call(deadline);
	} finally {
		deadline.dispose();
	}
}
