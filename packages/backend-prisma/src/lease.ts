import { randomUUID } from "node:crypto";
import { type LeaseOptions, pollForLease, TokenBackendError, type TokenLease } from "@o365/core";
import { isUniqueViolation, type TokenDelegate } from "./token-delegate.js";

/** First pause between two attempts on a held lease, in milliseconds; it grows to {@link MAX_POLL_MS}. */
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 200;

/**
 * Takes the lease on row `key`: a conditional update that succeeds only while the lease is free
 * or expired, so exactly one of several racing processes wins. The row is created (with no
 * value) when the key has never been saved. While another holder keeps it, polls with growing,
 * jittered pauses until `waitMs` has passed.
 */
export async function acquireRowLease(
	delegate: TokenDelegate,
	key: string,
	options: LeaseOptions,
	backendName: string,
): Promise<TokenLease> {
	const { ttlMs, waitMs } = options;
	const owner = randomUUID();
	let rowExists = false;
	const attempt = async (): Promise<TokenLease | undefined> => {
		const now = new Date();
		const expiresAt = new Date(now.getTime() + ttlMs);
		const lease = { leaseOwner: owner, leaseExpiresAt: expiresAt };
		let acquired =
			(
				await delegate.updateMany({
					where: {
						id: key,
						OR: [{ leaseOwner: null }, { leaseExpiresAt: null }, { leaseExpiresAt: { lte: now } }],
					},
					data: lease,
				})
			).count === 1;
		if (!acquired && !rowExists) {
			// Nothing was ever saved under this key: create the row, holding the lease, with no value.
			try {
				await delegate.create({ data: { id: key, value: null, version: 0, ...lease }, select: { id: true } });
				acquired = true;
			} catch (error) {
				if (!isUniqueViolation(error)) throw error;
			}
			rowExists = true;
		}
		return acquired ? rowLease(delegate, key, owner, expiresAt.getTime(), ttlMs, backendName) : undefined;
	};
	return pollForLease(
		options,
		attempt,
		() =>
			new TokenBackendError(
				backendName,
				"lease_timeout",
				`another process held the token lease on "${key}" for more than ${waitMs} ms; try again, or wait longer.`,
			),
		{ minDelayMs: FIRST_POLL_MS, maxDelayMs: MAX_POLL_MS },
	);
}

function rowLease(
	delegate: TokenDelegate,
	key: string,
	owner: string,
	expiresAt: number,
	ttlMs: number,
	backendName: string,
): TokenLease {
	let released = false;
	return {
		get expiresAt() {
			return expiresAt;
		},
		async renew(options) {
			options?.signal?.throwIfAborted();
			const next = Date.now() + ttlMs;
			// Still ours, even if it expired meanwhile: nobody else took it, so extending it is safe.
			const renewed =
				!released &&
				(
					await delegate.updateMany({
						where: { id: key, leaseOwner: owner },
						data: { leaseExpiresAt: new Date(next) },
					})
				).count === 1;
			if (!renewed) {
				throw new TokenBackendError(
					backendName,
					"lease_lost",
					`the token lease on "${key}" is no longer held by this process (released, or taken over after it expired); take it again before saving.`,
				);
			}
			expiresAt = next;
		},
		async release() {
			if (released) return;
			// Only our own lease: after it expired, someone else may hold the row's lease.
			await delegate.updateMany({
				where: { id: key, leaseOwner: owner },
				data: { leaseOwner: null, leaseExpiresAt: null },
			});
			released = true;
		},
	};
}
