import { randomUUID } from "node:crypto";
import { type DocumentReference, type DocumentSnapshot, Timestamp } from "@google-cloud/firestore";
import {
	type LeaseOptions,
	pollForLease,
	type StorageCallOptions,
	TokenBackendError,
	type TokenLease,
} from "@o365/core";
import { type CallDeadline, withDeadline } from "./call-deadline.js";
import { updateConditionally } from "./conditional-update.js";

/** First pause between two attempts on a held lease, in milliseconds; it grows to {@link MAX_POLL_MS}. */
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 200;

/** What {@link acquireDocumentLease} needs to know about the backend. */
export interface LeaseTarget {
	ref: DocumentReference;
	/** The map field `{ owner, expiresAt }` that holds the lease. */
	field: string;
	backendName: string;
	timeoutMs: number;
	/** Wraps a failed Firestore call in a typed error. */
	storeError: (what: string, error: unknown) => unknown;
}

/** The lease field's content: who holds it and until when, by the server's clock. */
interface LeaseField {
	owner: string;
	expiresAt: Timestamp;
}

function leaseOf(snapshot: DocumentSnapshot, field: string): LeaseField | undefined {
	const lease = snapshot.exists ? (snapshot.data()?.[field] as Partial<LeaseField> | undefined) : undefined;
	if (typeof lease?.owner !== "string" || !(lease.expiresAt instanceof Timestamp)) return undefined;
	return lease as LeaseField;
}

/** The expiry `ttlMs` after the server's time of the read, so that hosts' clocks never matter. */
function expiryAfter(snapshot: DocumentSnapshot, ttlMs: number): Timestamp {
	return Timestamp.fromMillis(snapshot.readTime.toMillis() + ttlMs);
}

/**
 * Takes the lease held in the document's `field`: a conditional update (see
 * `updateConditionally`) that writes `{ owner, expiresAt }` only while the field is empty or
 * expired by the server's clock, so exactly one of several racing processes wins. Polls with
 * growing, jittered pauses while another holder keeps it, until `waitMs` has passed.
 */
export async function acquireDocumentLease(target: LeaseTarget, options: LeaseOptions): Promise<TokenLease> {
	const { ttlMs, waitMs, signal } = options;
	const owner = randomUUID();
	const attempt = () =>
		withDeadline(target.backendName, "take the token lease", target.timeoutMs, signal, async (deadline) => {
			const localStart = Date.now();
			try {
				return await updateConditionally(
					target.ref,
					deadline,
					(snapshot) => {
						const held = leaseOf(snapshot, target.field);
						if (held !== undefined && held.expiresAt.toMillis() > snapshot.readTime.toMillis()) {
							return { result: undefined };
						}
						return {
							result: documentLease(target, owner, localStart + ttlMs, ttlMs),
							changes: new Map([[target.field, { owner, expiresAt: expiryAfter(snapshot, ttlMs) }]]),
						};
					},
					// Taken after the call gave up (aborted or timed out): give it back.
					(late) => {
						late?.release().catch(() => {});
					},
				);
			} catch (error) {
				if (signal?.aborted && error === signal.reason) throw error;
				throw target.storeError("take the token lease", error);
			}
		});
	return pollForLease(
		options,
		attempt,
		() =>
			new TokenBackendError(
				target.backendName,
				"lease_timeout",
				`another process held the token lease on ${target.ref.path} for more than ${waitMs} ms; try again, or wait longer.`,
			),
		{ minDelayMs: FIRST_POLL_MS, maxDelayMs: MAX_POLL_MS },
	);
}

function documentLease(target: LeaseTarget, owner: string, expiresAt: number, ttlMs: number): TokenLease {
	let released = false;
	const lost = () =>
		new TokenBackendError(
			target.backendName,
			"lease_lost",
			`the token lease on ${target.ref.path} is no longer held by this process (released, or taken over after it expired); take it again before saving.`,
		);
	return {
		get expiresAt() {
			return expiresAt;
		},
		async renew(options: StorageCallOptions = {}) {
			if (released) throw lost();
			const localStart = Date.now();
			const renewed = await withDeadline(
				target.backendName,
				"renew the token lease",
				target.timeoutMs,
				options.signal,
				async (deadline: CallDeadline) => {
					try {
						return await updateConditionally(target.ref, deadline, (snapshot) =>
							// Still ours, even if it expired meanwhile: nobody else took it, so extending it is safe.
							leaseOf(snapshot, target.field)?.owner === owner
								? {
										result: true,
										changes: new Map([[target.field, { owner, expiresAt: expiryAfter(snapshot, ttlMs) }]]),
									}
								: { result: false },
						);
					} catch (error) {
						if (options.signal?.aborted && error === options.signal.reason) throw error;
						throw target.storeError("renew the token lease", error);
					}
				},
			);
			if (!renewed) throw lost();
			expiresAt = localStart + ttlMs;
		},
		async release() {
			if (released) return;
			await withDeadline(
				target.backendName,
				"release the token lease",
				target.timeoutMs,
				undefined,
				async (deadline) => {
					try {
						// Only our own lease: after it expired, someone else may hold it.
						await updateConditionally(target.ref, deadline, (snapshot) =>
							leaseOf(snapshot, target.field)?.owner === owner
								? { result: undefined, changes: new Map([[target.field, undefined]]) }
								: { result: undefined },
						);
					} catch (error) {
						throw target.storeError("release the token lease", error);
					}
				},
			);
			released = true;
		},
	};
}
