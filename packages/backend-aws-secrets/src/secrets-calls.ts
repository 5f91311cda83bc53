import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { awsErrorName, type SecretTarget, secretsCallError, timeoutError } from "./secrets-errors.js";

/**
 * One storage operation's time bound: the caller's signal and the backend's `timeoutMs`, as one
 * signal every request of the operation is sent with.
 */
export interface Deadline {
	readonly signal: AbortSignal;
	readonly caller: AbortSignal | undefined;
	readonly timeout: AbortSignal;
	readonly timeoutMs: number;
}

export function startDeadline(timeoutMs: number, caller: AbortSignal | undefined): Deadline {
	caller?.throwIfAborted();
	const timeout = AbortSignal.timeout(timeoutMs);
	return {
		signal: caller === undefined ? timeout : AbortSignal.any([caller, timeout]),
		caller,
		timeout,
		timeoutMs,
	};
}

/** Answers to expected AWS errors, by error name (`ResourceNotFoundException`: nothing stored…). */
export type ExpectedErrors<F> = Partial<Record<string, () => F>>;

/**
 * Sends requests to Secrets Manager through the user's client: each one bounded by the
 * operation's deadline (the SDK's own retries included), its failure turned into a typed error
 * that names the secret and region.
 */
export class SecretsCalls {
	readonly client: SecretsManagerClient;
	readonly target: SecretTarget;

	constructor(client: SecretsManagerClient, target: SecretTarget) {
		this.client = client;
		this.target = target;
	}

	async send<T, F = never>(
		what: string,
		deadline: Deadline,
		call: (abortSignal: AbortSignal) => Promise<T>,
		expected: ExpectedErrors<F> = {},
	): Promise<T | F> {
		if (this.target.region === undefined) await this.#resolveRegion(what, deadline);
		try {
			deadline.signal.throwIfAborted();
			return await call(deadline.signal);
		} catch (error) {
			if (deadline.caller?.aborted) throw deadline.caller.reason;
			if (deadline.timeout.aborted) throw timeoutError(this.target, what, deadline.timeoutMs, error);
			const answer = expected[awsErrorName(error) ?? ""];
			if (answer !== undefined) return answer();
			throw secretsCallError(this.target, what, error);
		}
	}

	/** The client's region, for messages (and the README's "wrong region" advice). */
	async #resolveRegion(what: string, deadline: Deadline): Promise<void> {
		const region = this.client.config.region;
		try {
			const resolving = typeof region === "function" ? region() : Promise.resolve(String(region));
			// The SDK may look for the region on the network (the instance metadata service): bounded too.
			this.target.region = await new Promise<string>((resolve, reject) => {
				const stop = () => reject(deadline.signal.reason);
				deadline.signal.throwIfAborted();
				deadline.signal.addEventListener("abort", stop, { once: true });
				resolving.then(resolve, reject).finally(() => deadline.signal.removeEventListener("abort", stop));
			});
		} catch (error) {
			if (deadline.caller?.aborted) throw deadline.caller.reason;
			if (deadline.timeout.aborted) throw timeoutError(this.target, what, deadline.timeoutMs, error);
			throw secretsCallError(this.target, what, error);
		}
	}
}
