/**
 * Keeps a token lease alive while the refresh it guards runs: a slow token endpoint must not let
 * the lease expire under its holder, or a second process refreshes at the same time.
 */

import type { TokenLease } from "../backend/token-backend.js";
import { O365Error } from "../errors.js";
import type { SafeLogger } from "../logging/logger.js";

/** Never renew more often than this, in milliseconds, even when the lease is (nearly) expired. */
const MIN_RENEW_DELAY_MS = 10;

/**
 * Renews `lease` (when it can be renewed) at a third of its remaining lifetime, so that two
 * renewals can fail before it expires, until {@link LeaseRenewal.stop}. A renewal that rejects
 * with `lease_lost` ends the renewals and sets {@link LeaseRenewal.lost}; other failures are
 * logged and tried again at the next turn.
 */
export class LeaseRenewal {
	readonly #lease: TokenLease;
	readonly #log: SafeLogger;
	#timer: NodeJS.Timeout | undefined;
	#renewing: Promise<void> | undefined;
	#stopped = false;
	#lost = false;

	constructor(lease: TokenLease, log: SafeLogger) {
		this.#lease = lease;
		this.#log = log;
		if (typeof lease.renew === "function") this.#schedule();
	}

	/** Whether another holder took the lease over while it was held here. */
	get lost(): boolean {
		return this.#lost;
	}

	/** Stops renewing; resolves once a renewal in progress has settled. */
	async stop(): Promise<void> {
		this.#stopped = true;
		clearTimeout(this.#timer);
		await this.#renewing;
	}

	#schedule(): void {
		if (this.#stopped || this.#lost) return;
		const delay = Math.max(MIN_RENEW_DELAY_MS, (this.#lease.expiresAt - Date.now()) / 3);
		this.#timer = setTimeout(() => {
			this.#renewing = this.#renew().finally(() => {
				this.#renewing = undefined;
				this.#schedule();
			});
		}, delay);
		// A pending renewal must not keep the process alive on its own.
		this.#timer.unref();
	}

	async #renew(): Promise<void> {
		try {
			await this.#lease.renew?.();
		} catch (error) {
			if (error instanceof O365Error && error.code === "lease_lost") {
				this.#lost = true;
				this.#log.log(
					"warn",
					"the token lease was taken over by another process while a refresh ran here; the refreshed token is saved only by compare-and-set",
				);
				return;
			}
			this.#log.log(
				"warn",
				`could not renew the token lease (${error instanceof Error ? error.message : String(error)}); trying again`,
			);
		}
	}
}
