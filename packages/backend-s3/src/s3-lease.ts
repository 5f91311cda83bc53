import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import {
	type LeaseOptions,
	pollForLease,
	type StorageCallOptions,
	TokenBackendError,
	type TokenLease,
} from "@o365/core";
import type { S3Objects, StoredObject } from "./s3-objects.js";

/** First pause between two attempts on a held lease, in milliseconds; it grows to {@link MAX_POLL_MS}. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;
/**
 * A lease with less time left than this, in milliseconds, is released by a conditional overwrite
 * rather than deleted (see {@link S3Lease.release}).
 */
const DELETE_MARGIN_MS = 2_000;

/** What the lease object holds: who holds it and until when. Never anything from the token. */
interface LeaseRecord {
	owner: string;
	/** Epoch ms; 0 once released. */
	expiresAt: number;
	/** For messages: `pid@host`. */
	holder: string;
}

/**
 * Takes the lease object `leaseKey`: created with `If-None-Match: *`, so exactly one of several
 * racing processes creates it; a lease found expired (or released) is taken over by overwriting
 * it with `If-Match` on the ETag just read, so again exactly one wins. While a live holder keeps
 * it, polls with growing, jittered pauses until `waitMs` has passed.
 */
export async function acquireS3Lease(
	objects: S3Objects,
	leaseKey: string,
	options: LeaseOptions,
): Promise<TokenLease> {
	const { ttlMs, waitMs } = options;
	const owner = randomUUID();
	const holder = `${process.pid}@${hostname()}`;
	let seen: LeaseRecord | undefined;
	// The attempt's requests do not take the signal: an abort that cut a request S3 had already
	// applied would leave a lease nobody releases. pollForLease checks the signal between attempts
	// and during pauses, and a lease taken as it aborted is released below.
	const attempt = async (): Promise<S3Lease | undefined> => {
		const record = (): LeaseRecord => ({ owner, holder, expiresAt: Date.now() + ttlMs });
		const created = record();
		const etag = await objects.put(leaseKey, JSON.stringify(created), { ifNoneMatch: "*" }, undefined);
		if (etag !== undefined) return new S3Lease(objects, leaseKey, created, etag, ttlMs);
		const current = await objects.get(leaseKey, undefined);
		if (current === undefined) return undefined; // released meanwhile: try again
		seen = parseRecord(current);
		// Our own create, applied by S3 although its answer was lost (the SDK then retried it).
		if (seen?.owner === owner) return new S3Lease(objects, leaseKey, seen, current.etag, ttlMs);
		if (seen !== undefined && seen.expiresAt > Date.now()) return undefined;
		// Expired, released, or not a lease record at all: overwrite exactly what was read.
		const taken = record();
		const takenEtag = await objects.put(
			leaseKey,
			JSON.stringify(taken),
			{ ifMatch: current.etag },
			undefined,
		);
		return takenEtag === undefined ? undefined : new S3Lease(objects, leaseKey, taken, takenEtag, ttlMs);
	};
	return pollForLease(
		options,
		attempt,
		() => {
			const by =
				seen === undefined ? "" : ` (held by ${seen.holder} until ${new Date(seen.expiresAt).toISOString()})`;
			return new TokenBackendError(
				objects.backendName,
				"lease_timeout",
				`another process held the token lease s3://${objects.bucketName}/${leaseKey}${by} for more than ${waitMs} ms; try again, or wait longer.`,
			);
		},
		{ minDelayMs: FIRST_POLL_MS, maxDelayMs: MAX_POLL_MS },
	);
}

/** A lease record, or `undefined` for anything else (a stranger's object is taken over once seen). */
function parseRecord(object: StoredObject): LeaseRecord | undefined {
	try {
		const parsed = JSON.parse(object.body) as Partial<LeaseRecord>;
		if (typeof parsed.owner === "string" && typeof parsed.expiresAt === "number") {
			return { owner: parsed.owner, expiresAt: parsed.expiresAt, holder: String(parsed.holder ?? "?") };
		}
	} catch {
		// Not JSON: not ours to respect.
	}
	return undefined;
}

/** A held lease: its record and the ETag S3 gave it, which every change is conditional on. */
class S3Lease implements TokenLease {
	#record: LeaseRecord;
	#etag: string;
	#released = false;

	constructor(
		readonly objects: S3Objects,
		readonly key: string,
		record: LeaseRecord,
		etag: string,
		readonly ttlMs: number,
	) {
		this.#record = record;
		this.#etag = etag;
	}

	get expiresAt(): number {
		return this.#record.expiresAt;
	}

	/**
	 * Moves the expiry to `ttlMs` from now by overwriting the lease object with `If-Match` on our
	 * ETag. When the ETag moved, the object is read again: still our owner id (our own earlier
	 * write that the SDK retried) means we hold it and overwrite on its new ETag; anything else
	 * means another process took it over, and this rejects with `lease_lost`.
	 */
	async renew(options: StorageCallOptions = {}): Promise<void> {
		options.signal?.throwIfAborted();
		if (this.#released) throw this.#lost();
		const next: LeaseRecord = { ...this.#record, expiresAt: Date.now() + this.ttlMs };
		let etag = await this.objects.put(
			this.key,
			JSON.stringify(next),
			{ ifMatch: this.#etag },
			options.signal,
		);
		if (etag === undefined) {
			const current = await this.objects.get(this.key, options.signal);
			if (current === undefined || parseRecord(current)?.owner !== this.#record.owner) throw this.#lost();
			etag = await this.objects.put(
				this.key,
				JSON.stringify(next),
				{ ifMatch: current.etag },
				options.signal,
			);
			if (etag === undefined) throw this.#lost();
		}
		this.#record = next;
		this.#etag = etag;
	}

	/**
	 * Frees the lease, only if it still is ours. With time left (nobody may take it over yet) the
	 * object is deleted with `If-Match` on our ETag. Once (nearly) expired it is instead
	 * overwritten, with `If-Match`, by a released record, which the next holder takes over: some
	 * S3-compatible servers (Ceph RGW 16) ignore `If-Match` on DELETE, and an unconditional delete
	 * of an expired lease could remove the next holder's.
	 */
	async release(): Promise<void> {
		if (this.#released) return;
		this.#released = true;
		if (this.#record.expiresAt - Date.now() > DELETE_MARGIN_MS) {
			await this.objects.delete(this.key, this.#etag, undefined);
			return;
		}
		const released: LeaseRecord = { ...this.#record, expiresAt: 0 };
		await this.objects.put(this.key, JSON.stringify(released), { ifMatch: this.#etag }, undefined);
	}

	#lost(): TokenBackendError {
		return new TokenBackendError(
			this.objects.backendName,
			"lease_lost",
			`the token lease s3://${this.objects.bucketName}/${this.key} is no longer held by this process (released, or taken over after it expired); take it again before saving.`,
		);
	}
}
