import { TokenBackendError } from "../errors.js";
import { BaseTokenBackend, type BaseTokenBackendOptions } from "./base-token-backend.js";
import { pollUntil } from "./poll-until.js";
import type { LeaseOptions, TokenLease, VersionedValue } from "./token-backend.js";

/** The shared slot several {@link MemoryTokenBackend}s can use, like processes sharing a store. */
export class MemoryTokenStore {
	value: string | undefined;
	version = 0;
	lease: { owner: symbol; expiresAt: number } | undefined;
}

export interface MemoryTokenBackendOptions extends BaseTokenBackendOptions {
	/** Share one store between instances (tests of multi-instance behaviour). @default a new store */
	store?: MemoryTokenStore;
}

/** How often a waiting lease checks again, in milliseconds. */
const LEASE_POLL_MS = 5;

/**
 * Keeps the token in memory only: nothing survives the process. For tests and scripts that sign in
 * every run, and the reference implementation of every storage capability (compare-and-set and
 * leases included) that the conformance suite checks itself against.
 */
export class MemoryTokenBackend extends BaseTokenBackend {
	readonly name = "memory";
	readonly store: MemoryTokenStore;

	constructor(options: MemoryTokenBackendOptions = {}) {
		super(options);
		this.store = options.store ?? new MemoryTokenStore();
	}

	async read(): Promise<string | undefined> {
		return this.store.value;
	}

	async write(value: string): Promise<void> {
		this.store.value = value;
		this.store.version += 1;
	}

	async remove(): Promise<boolean> {
		const had = this.store.value !== undefined;
		this.store.value = undefined;
		this.store.version += 1;
		return had;
	}

	async exists(): Promise<boolean> {
		return this.store.value !== undefined;
	}

	override async readVersioned(): Promise<VersionedValue | undefined> {
		const { value, version } = this.store;
		return value === undefined ? undefined : { value, version: String(version) };
	}

	override async writeIfVersion(value: string, expectedVersion: string | null): Promise<string | undefined> {
		const current = this.store.value === undefined ? null : String(this.store.version);
		if (current !== expectedVersion) return undefined;
		await this.write(value);
		return String(this.store.version);
	}

	override async acquireLease(options: LeaseOptions): Promise<TokenLease> {
		const owner = Symbol("lease");
		const lease = await pollUntil(
			async (): Promise<TokenLease | undefined> => {
				const held = this.store.lease;
				if (held !== undefined && held.expiresAt > Date.now()) return undefined;
				const lease = {
					expiresAt: Date.now() + options.ttlMs,
					release: async () => {
						if (this.store.lease?.owner === owner) this.store.lease = undefined;
					},
					renew: async () => {
						const current = this.store.lease;
						if (current?.owner !== owner) {
							throw new TokenBackendError(
								this.name,
								"lease_lost",
								"the token lease was released or taken over by another holder; it cannot be renewed.",
							);
						}
						current.expiresAt = lease.expiresAt = Date.now() + options.ttlMs;
					},
				};
				this.store.lease = { owner, expiresAt: lease.expiresAt };
				return lease;
			},
			{
				waitMs: options.waitMs,
				signal: options.signal,
				minDelayMs: LEASE_POLL_MS,
				maxDelayMs: LEASE_POLL_MS,
			},
		);
		if (lease === undefined) {
			throw new TokenBackendError(
				this.name,
				"lease_timeout",
				`another holder kept the token lease for more than ${options.waitMs} ms; try again, or raise the wait.`,
			);
		}
		return lease;
	}
}
