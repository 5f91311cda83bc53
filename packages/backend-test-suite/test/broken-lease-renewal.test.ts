import {
	type LeaseOptions,
	MemoryTokenBackend,
	MemoryTokenStore,
	type TokenBackend,
	type TokenLease,
} from "@o365/core";
import { describe, expect, it } from "vitest";
import {
	checkRenewAfterTakeover,
	checkRenewKeepsLease,
	createSuiteContext,
	RENEWED_TTL_MS,
} from "../src/index.js";

// Deliberately broken lease renewals, each with one realistic bug the leaseRenewal group must catch.

/** renew() that answers but does not extend the lease (e.g. an UPDATE whose WHERE matched nothing). */
class RenewDoesNothingBackend extends MemoryTokenBackend {
	override async acquireLease(options: LeaseOptions): Promise<TokenLease> {
		const lease = await super.acquireLease(options);
		return { expiresAt: lease.expiresAt, release: () => lease.release(), renew: async () => {} };
	}
}

/** renew() that takes the lease back whoever holds it now (an unconditional SET). */
class RenewStealsBackend extends MemoryTokenBackend {
	override async acquireLease(options: LeaseOptions): Promise<TokenLease> {
		const lease = await super.acquireLease(options);
		const store = this.store;
		return {
			expiresAt: lease.expiresAt,
			release: () => lease.release(),
			renew: async () => {
				store.lease = { owner: Symbol("stolen"), expiresAt: Date.now() + options.ttlMs };
			},
		};
	}
}

async function renewableLease(backend: TokenBackend) {
	const lease = await backend.acquireLease?.({ ttlMs: RENEWED_TTL_MS, waitMs: 0 });
	if (lease?.renew === undefined) throw new Error("the broken backend lost its renew()");
	return lease as TokenLease & { renew: NonNullable<TokenLease["renew"]> };
}

function contextFor(Backend: new (options: { store: MemoryTokenStore }) => TokenBackend) {
	const store = new MemoryTokenStore();
	const ctx = createSuiteContext({ name: Backend.name, create: () => new Backend({ store }) });
	return { ctx, create: () => new Backend({ store }) };
}

describe("the leaseRenewal group catches broken renewals", () => {
	it("a renew() that does not extend the lease", async () => {
		const { ctx, create } = contextFor(RenewDoesNothingBackend);
		await expect(checkRenewKeepsLease(ctx, await renewableLease(create()))).rejects.toMatchObject({
			name: "AssertionError",
		});
	});

	it("a renew() that takes the lease back from its new holder", async () => {
		const { ctx, create } = contextFor(RenewStealsBackend);
		await expect(checkRenewAfterTakeover(ctx, await renewableLease(create()))).rejects.toMatchObject({
			name: "AssertionError",
		});
	});
});
