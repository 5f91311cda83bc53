import { setTimeout as delay, setImmediate as tick } from "node:timers/promises";
import {
	type LeaseOptions,
	MemoryTokenBackend,
	pollUntil,
	type StorageCallOptions,
	TokenBackendError,
	type TokenLease,
} from "@o365/core";

// Deliberately broken backends, each with one realistic bug the suite must catch.

/** Compare-and-set that never refuses: every conditional write goes through. */
export class IgnoresVersionBackend extends MemoryTokenBackend {
	override async writeIfVersion(value: string): Promise<string | undefined> {
		await this.write(value);
		return String(this.store.version);
	}
}

/** A lease anyone gets at once, held or not. */
export class NonExclusiveLeaseBackend extends MemoryTokenBackend {
	override async acquireLease(options: LeaseOptions): Promise<TokenLease> {
		return { expiresAt: Date.now() + options.ttlMs, release: async () => {} };
	}
}

/** A lease that never expires by itself: a crashed holder blocks everyone forever. */
export class ImmortalLeaseBackend extends MemoryTokenBackend {
	override async acquireLease(options: LeaseOptions): Promise<TokenLease> {
		return super.acquireLease({ ...options, ttlMs: 24 * 60 * 60 * 1000 });
	}
}

/** A store that trims values (as some form-field or env-file layers do). */
export class TrimmingBackend extends MemoryTokenBackend {
	override async write(value: string): Promise<void> {
		await super.write(value.trim());
	}
}

/** A store with a 64 KiB column that silently truncates. */
export class TruncatingBackend extends MemoryTokenBackend {
	override async write(value: string): Promise<void> {
		await super.write(value.slice(0, 64 * 1024));
	}
}

/** Writes in chunks, yielding between them, so concurrent writers interleave (torn values). */
export class ChunkedWriteBackend extends MemoryTokenBackend {
	override async write(value: string): Promise<void> {
		this.store.value = "";
		for (let offset = 0; offset < value.length; offset += 16 * 1024) {
			await tick();
			this.store.value += value.slice(offset, offset + 16 * 1024);
		}
		this.store.version += 1;
	}
}

/** Writes on every saveToken(), changed or not. */
export class AlwaysWritesBackend extends MemoryTokenBackend {
	override async saveToken(options: StorageCallOptions & { force?: boolean } = {}): Promise<boolean> {
		return super.saveToken({ ...options, force: true });
	}
}

/** Quotes the stored value in its error messages "to help debugging". */
export class LeakyErrorsBackend extends MemoryTokenBackend {
	override async loadToken(options: StorageCallOptions = {}): Promise<boolean> {
		try {
			return await super.loadToken(options);
		} catch (error) {
			throw new TokenBackendError(this.name, "backend_corrupt", `cannot parse ${this.store.value ?? ""}`, {
				cause: error,
			});
		}
	}
}

/** Stores the first half of a value, then the rest: it ends whole, but a reader in between sees half. */
export class TwoStepWriteBackend extends MemoryTokenBackend {
	override async write(value: string): Promise<void> {
		this.store.value = value.slice(0, Math.floor(value.length / 2));
		await tick();
		await super.write(value);
	}
}

/** Its `lease_timeout` error carries the lock row it read, stored value included, as a property. */
export class LeakyLeaseTimeoutBackend extends MemoryTokenBackend {
	override async acquireLease(options: LeaseOptions): Promise<TokenLease> {
		try {
			return await super.acquireLease(options);
		} catch (error) {
			if (!(error instanceof TokenBackendError) || error.code !== "lease_timeout") throw error;
			// Core redacts messages and causes, but not what a backend hangs on its own error.
			throw Object.assign(new TokenBackendError(this.name, "lease_timeout", error.message), {
				lockRow: { value: this.store.value },
			});
		}
	}
}

/** How long one attempt on {@link AbortLeaksLeaseBackend}'s store takes each way, in milliseconds. */
const ROUND_TRIP_HALF_MS = 10;

/**
 * A network store: each attempt takes the lease halfway through a round trip. Its wait stops
 * promptly on abort, but when the signal aborted during the attempt that took the lease, it
 * rejects without releasing what it just took.
 */
export class AbortLeaksLeaseBackend extends MemoryTokenBackend {
	override async acquireLease(options: LeaseOptions): Promise<TokenLease> {
		const attempt = async (): Promise<TokenLease | undefined> => {
			await delay(ROUND_TRIP_HALF_MS);
			const lease = await super.acquireLease({ ttlMs: options.ttlMs, waitMs: 0 }).catch(() => undefined);
			await delay(ROUND_TRIP_HALF_MS);
			return lease;
		};
		const lease = await pollUntil(attempt, {
			waitMs: options.waitMs,
			signal: options.signal,
			minDelayMs: 5,
			maxDelayMs: 5,
		});
		if (lease === undefined) throw new TokenBackendError(this.name, "lease_timeout", "the lease is held.");
		options.signal?.throwIfAborted(); // the bug: the lease just taken stays held until it expires
		return lease;
	}
}
