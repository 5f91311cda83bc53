/**
 * The requests a `hang` fault holds, counted until the client closes their connection: what tells a test that a
 * client which gave up on a request also hung up, instead of leaving the socket open.
 */
import type { ServerResponse } from "node:http";

export class HangingRequests {
	#count = 0;
	#waiters: Array<() => void> = [];

	get count(): number {
		return this.#count;
	}

	/** Counts `response` as hanging until its connection closes. */
	hold(response: ServerResponse): void {
		this.#count++;
		response.once("close", () => {
			this.#count--;
			if (this.#count === 0) for (const wake of this.#waiters.splice(0)) wake();
		});
	}

	/** Resolves once no request hangs with its connection open. */
	untilNone(): Promise<void> {
		if (this.#count === 0) return Promise.resolve();
		return new Promise((resolve) => this.#waiters.push(resolve));
	}
}
