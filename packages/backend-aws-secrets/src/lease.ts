import { randomUUID } from "node:crypto";
import { type LeaseOptions, pollForLease, TokenBackendError, type TokenLease } from "@o365/core";
import { startDeadline } from "./secrets-calls.js";
import type { VersionedSecret } from "./versioned-secret.js";

/** First pause between two looks at a held lease, in milliseconds; it grows to {@link MAX_POLL_MS}. */
const FIRST_POLL_MS = 25;
/** Every look is a billed GetSecretValue: waiters poll at most this often once the wait drags on. */
const MAX_POLL_MS = 500;

/** What the lease secret holds: its holder and when the lease ends (epoch ms), or nobody. */
interface LeaseRecord {
	owner: string | null;
	expiresAt: number;
}

function parseRecord(value: string): LeaseRecord | undefined {
	try {
		const record = JSON.parse(value) as Partial<LeaseRecord>;
		if (typeof record.expiresAt === "number" && (typeof record.owner === "string" || record.owner === null)) {
			return { owner: record.owner, expiresAt: record.expiresAt };
		}
	} catch {}
	return undefined; // not ours (edited by hand?): treated as a free lease
}

export interface SecretLeaseSettings {
	secret: VersionedSecret;
	backendName: string;
	timeoutMs: number;
}

/**
 * Takes the lease kept in the companion secret. Taking it is a compare-and-set on the lease
 * secret's AWSCURRENT version (or its creation, which fails if it exists): of several processes
 * that saw it free or expired, exactly one moves AWSCURRENT from the version they saw, so a dead
 * holder's lease is taken over once, by one process. While another holder keeps it, polls with
 * growing, jittered pauses until `waitMs` has passed.
 */
export async function acquireSecretLease(
	settings: SecretLeaseSettings,
	options: LeaseOptions,
): Promise<TokenLease> {
	const { ttlMs, waitMs, signal } = options;
	const { secret, timeoutMs } = settings;
	const owner = randomUUID();
	const what = "take the token lease";
	const attempt = async (): Promise<TokenLease | undefined> => {
		const expiresAt = Date.now() + ttlMs;
		const record = JSON.stringify({ owner, expiresAt } satisfies LeaseRecord);
		const state = await secret.read(what, startDeadline(timeoutMs, signal));
		// Taking it is not abandoned when the caller aborts: a request cut short may still have
		// taken it, unknown to us. It runs to its end (within timeoutMs); pollForLease hands the
		// lease back, and it is released below.
		const taking = startDeadline(timeoutMs, undefined);
		let versionId: string | undefined;
		if (state.kind === "missing") {
			versionId = await secret.create(record, what, taking);
		} else if (state.kind === "deleted") {
			await secret.restore(what, taking); // deleted by hand: bring it back, then look again
		} else {
			const held = parseRecord(state.value);
			if (held === undefined || held.owner === null || held.expiresAt <= Date.now()) {
				versionId = await secret.replaceIf(record, state.versionId, what, taking);
			}
		}
		return versionId === undefined ? undefined : secretLease(settings, owner, versionId, expiresAt, ttlMs);
	};
	return pollForLease(
		options,
		attempt,
		() =>
			new TokenBackendError(
				settings.backendName,
				"lease_timeout",
				`another process held the token lease (secret "${secret.name}") for more than ${waitMs} ms; try again, or wait longer.`,
			),
		{ minDelayMs: FIRST_POLL_MS, maxDelayMs: MAX_POLL_MS },
	);
}

function secretLease(
	settings: SecretLeaseSettings,
	owner: string,
	versionId: string,
	expiresAt: number,
	ttlMs: number,
): TokenLease {
	const { secret, timeoutMs, backendName } = settings;
	let held: string | undefined = versionId;
	return {
		get expiresAt() {
			return expiresAt;
		},
		async renew(options) {
			// Checked before, not during: a renewal cut short may have landed, unknown to us.
			options?.signal?.throwIfAborted();
			const next = Date.now() + ttlMs;
			// Still ours while AWSCURRENT is the version we wrote, even past its expiry: nobody took it.
			const renewed =
				held === undefined
					? undefined
					: await secret.replaceIf(
							JSON.stringify({ owner, expiresAt: next } satisfies LeaseRecord),
							held,
							"renew the token lease",
							startDeadline(timeoutMs, undefined),
						);
			if (renewed === undefined) {
				held = undefined;
				throw new TokenBackendError(
					backendName,
					"lease_lost",
					`the token lease (secret "${secret.name}") is no longer held by this process (released, or taken over after it expired); take it again before saving.`,
				);
			}
			held = renewed;
			expiresAt = next;
		},
		async release() {
			if (held === undefined) return;
			const version = held;
			// Conditional on our version: after it expired, another process may hold it now.
			await secret.replaceIf(
				JSON.stringify({ owner: null, expiresAt: 0 } satisfies LeaseRecord),
				version,
				"release the token lease",
				startDeadline(timeoutMs, undefined),
			);
			held = undefined;
		},
	};
}
