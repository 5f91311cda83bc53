import { randomUUID } from "node:crypto";
import { type LeaseOptions, pollForLease, TokenBackendError, type TokenLease } from "@o365/core";
import { type CommandContext, sendBounded } from "./bounded-command.js";
import { RELEASE_LEASE, RENEW_LEASE } from "./scripts.js";

/** First pause between two attempts on a held lease, in milliseconds; it grows to {@link MAX_POLL_MS}. */
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 200;

/**
 * Takes the lease key with `SET key <owner> NX PX ttlMs`: only one of several racing processes
 * creates it, and Redis deletes it after `ttlMs` if its holder dies. While another holder keeps
 * it, polls with growing, jittered pauses until `waitMs` has passed.
 */
export async function acquireRedisLease(
	ctx: CommandContext,
	leaseKey: string,
	options: LeaseOptions,
): Promise<TokenLease> {
	const { ttlMs, waitMs, signal } = options;
	const owner = randomUUID();
	const px = String(Math.ceil(ttlMs));
	const release = (what: string) =>
		sendBounded(ctx, { what, args: ["EVAL", RELEASE_LEASE, "1", leaseKey, owner] });
	const attempt = async (): Promise<TokenLease | undefined> => {
		const expiresAt = Date.now() + ttlMs;
		const reply = await sendBounded(ctx, {
			what: "take the token lease",
			args: ["SET", leaseKey, owner, "NX", "PX", px],
			signal,
			// Taken after the call gave up (an abort, a timeout): nobody holds it, so give it back.
			onAbandoned: (late) =>
				late.then(
					(taken) => (taken === "OK" ? release("release an abandoned lease").catch(() => {}) : undefined),
					() => {},
				),
		});
		return reply === "OK" ? redisLease(ctx, leaseKey, owner, expiresAt, px, release) : undefined;
	};
	return pollForLease(
		options,
		attempt,
		() =>
			new TokenBackendError(
				"redis",
				"lease_timeout",
				`another process held the token lease "${leaseKey}" for more than ${waitMs} ms; try again, or wait longer.`,
			),
		{ minDelayMs: FIRST_POLL_MS, maxDelayMs: MAX_POLL_MS },
	);
}

function redisLease(
	ctx: CommandContext,
	leaseKey: string,
	owner: string,
	expiresAt: number,
	px: string,
	release: (what: string) => Promise<unknown>,
): TokenLease {
	let released = false;
	return {
		get expiresAt() {
			return expiresAt;
		},
		async renew(options) {
			const next = Date.now() + Number(px);
			// Only while the key still holds our id: once it expired, another process may have
			// taken (and released) it, and refreshed meanwhile.
			const renewed =
				!released &&
				(await sendBounded(ctx, {
					what: "renew the token lease",
					args: ["EVAL", RENEW_LEASE, "1", leaseKey, owner, px],
					signal: options?.signal,
				})) === 1;
			if (!renewed) {
				throw new TokenBackendError(
					"redis",
					"lease_lost",
					`the token lease "${leaseKey}" is no longer held by this process (released, or expired and maybe taken over); take it again before saving.`,
				);
			}
			expiresAt = next;
		},
		async release() {
			if (released) return;
			// Deletes only our own lease: after it expired, someone else may hold the key.
			await release("release the token lease");
			released = true;
		},
	};
}
