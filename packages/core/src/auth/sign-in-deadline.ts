import { AuthenticationError } from "../errors.js";
import { abortError } from "../utils/abort.js";

/**
 * One signal for "the caller aborted or our timeout passed", with a real timer that `dispose()`
 * clears (AbortSignal.timeout's would stay pending until it fires), and the typed error for
 * whichever happened.
 */
export class Deadline {
	readonly signal: AbortSignal;
	readonly #controller = new AbortController();
	readonly #timer: NodeJS.Timeout;
	readonly #caller: AbortSignal | undefined;
	readonly #onAbort = () => this.#controller.abort(this.#caller?.reason);

	constructor(
		caller: AbortSignal | undefined,
		readonly timeoutMs: number,
	) {
		this.#caller = caller;
		this.signal = this.#controller.signal;
		this.#timer = setTimeout(() => this.#controller.abort(new Error("timed out")), timeoutMs);
		if (caller?.aborted) this.#onAbort();
		else caller?.addEventListener("abort", this.#onAbort, { once: true });
	}

	/**
	 * After a failure: the caller's abort error, `consent_timeout` (naming `what` did not happen in
	 * time), or `error` itself when neither fired.
	 */
	explain(error: unknown, what: string): unknown {
		if (!this.signal.aborted) return error;
		if (this.#caller?.aborted) return abortError(this.#caller);
		return new AuthenticationError(
			"consent_timeout",
			`${what} within ${this.timeoutMs} ms; call authenticate() again (or raise consentTimeoutMs).`,
		);
	}

	dispose(): void {
		clearTimeout(this.#timer);
		this.#caller?.removeEventListener("abort", this.#onAbort);
	}
}
