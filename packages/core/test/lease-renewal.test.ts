import {
	Account,
	type LeaseOptions,
	type Logger,
	MemoryTokenBackend,
	MemoryTokenStore,
	type NetworkClient,
	type TokenBackend,
	TokenBackendError,
	type TokenLease,
} from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { until } from "./helpers/fake-graph.js";
import { REDIRECT_URI, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";
import { expireStoredAccessToken, signIn } from "./helpers/stored-tokens.js";

// Entra rotates refresh tokens and refuses a rotated-away one: two refreshes at once show up as
// an invalid_grant, one lease holder at a time as a single grant.
const platform = useFakePlatform({ rotateRefreshTokens: true, rejectRefreshTokenReuse: true });

/** How long the store's leases last, whatever core asks for: like a store configured with a short TTL. */
const STORE_LEASE_TTL_MS = 500;

class ShortLeaseBackend extends MemoryTokenBackend {
	override acquireLease(options: LeaseOptions): Promise<TokenLease> {
		return super.acquireLease({ ...options, ttlMs: STORE_LEASE_TTL_MS });
	}
}

/** Records whether its first try for the lease found it held by someone else. */
class WaitingBackend extends ShortLeaseBackend {
	foundHeld = false;

	override async acquireLease(options: LeaseOptions): Promise<TokenLease> {
		try {
			return await super.acquireLease({ ...options, waitMs: 0 });
		} catch (error) {
			if (!(error instanceof TokenBackendError) || error.code !== "lease_timeout") throw error;
			this.foundHeld = true;
			return super.acquireLease(options);
		}
	}
}

/**
 * msal-node's network client over fetch that holds each refresh-token grant until `gate`
 * opens: a token endpoint slower than the lease's TTL. `reached` resolves when one is held.
 */
function slowTokenEndpoint(gate: Promise<void>, reached: () => void): NetworkClient {
	const send = async <T>(
		url: string,
		method: string,
		options?: { headers?: Record<string, string>; body?: string },
	) => {
		if (method === "POST" && options?.body?.includes("grant_type=refresh_token")) {
			reached();
			await gate;
		}
		const response = await fetch(url, { method, headers: options?.headers, body: options?.body });
		return {
			headers: Object.fromEntries(response.headers),
			body: (await response.json()) as T,
			status: response.status,
		};
	};
	return {
		sendGetRequestAsync: (url, options) => send(url, "GET", options),
		sendPostRequestAsync: (url, options) => send(url, "POST", options),
	};
}

/** The same store without compare-and-set: its saves overwrite whatever is stored. */
class NoCompareAndSetBackend extends ShortLeaseBackend {
	constructor(options: { store: MemoryTokenStore }) {
		super(options);
		Object.assign(this, { readVersioned: undefined, writeIfVersion: undefined });
	}
}

function instance(tokenBackend: TokenBackend, networkClient?: NetworkClient, logger?: Logger) {
	const idp = platform();
	return new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
		tenantId: idp.tenantId,
		tokenBackend,
		redirectUri: REDIRECT_URI,
		...idp.msalConfig(),
		...(networkClient === undefined ? {} : { networkClient }),
		...(logger === undefined ? {} : { logger }),
	});
}

/** A token endpoint held until the returned `open()`; `held()` says whether a grant waits. */
function gatedTokenEndpoint() {
	let open = () => {};
	const gate = new Promise<void>((resolve) => {
		open = resolve;
	});
	let held = false;
	const networkClient = slowTokenEndpoint(gate, () => {
		held = true;
	});
	return { networkClient, open, held: () => held };
}

/** The access token secrets stored now. */
function storedAccessTokens(store: MemoryTokenStore): string[] {
	const cache = JSON.parse(store.value ?? "{}") as { AccessToken?: Record<string, { secret: string }> };
	return Object.values(cache.AccessToken ?? {}).map((entry) => entry.secret);
}

describe("a refresh that takes longer than the lease's TTL", () => {
	beforeEach(() => platform().clearRequests());

	it("keeps the lease renewed: another instance waits, one refresh-token grant in all", async () => {
		const store = new MemoryTokenStore();
		await signIn(instance(new MemoryTokenBackend({ store })), platform());
		await expireStoredAccessToken(new MemoryTokenBackend({ store }));
		const endpoint = gatedTokenEndpoint();
		const slow = instance(new ShortLeaseBackend({ store }), endpoint.networkClient);
		const waitingBackend = new WaitingBackend({ store });
		const other = instance(waitingBackend);
		platform().clearRequests();

		const slowToken = slow.con.getAccessToken();
		await until(endpoint.held);
		const firstExpiry = store.lease?.expiresAt ?? 0;
		expect(firstExpiry, "the slow instance holds the lease during its refresh").toBeGreaterThan(0);
		// Well past the lease's first TTL, the refresh is still in flight.
		await until(() => Date.now() > firstExpiry + STORE_LEASE_TTL_MS);
		const otherToken = other.con.getAccessToken();
		await until(() => waitingBackend.foundHeld || platform().tokenRequests("refresh_token").length > 0);
		endpoint.open();
		const [slowResult, otherResult] = await Promise.allSettled([slowToken, otherToken]);

		expect(waitingBackend.foundHeld, "the other instance found the lease still held").toBe(true);
		expect(
			platform()
				.tokenRequests("refresh_token")
				.map((grant) => grant.error ?? "ok"),
			"refresh-token grants",
		).toEqual(["ok"]);
		expect(slowResult).toMatchObject({ status: "fulfilled" });
		expect(otherResult).toEqual(slowResult);
		expect(store.lease, "the lease was released after the refresh").toBeUndefined();
	});

	it.each([
		["with compare-and-set", ShortLeaseBackend, true],
		["without compare-and-set", NoCompareAndSetBackend, false],
	] as const)(
		"a lease taken over during the refresh, %s: a warning, and the refreshed token saved only by compare-and-set",
		async (_name, Backend, saved) => {
			const store = new MemoryTokenStore();
			await signIn(instance(new MemoryTokenBackend({ store })), platform());
			await expireStoredAccessToken(new MemoryTokenBackend({ store }));
			const expired = storedAccessTokens(store);
			const warnings: string[] = [];
			const endpoint = gatedTokenEndpoint();
			const slow = instance(new Backend({ store }), endpoint.networkClient, {
				warn: (message) => warnings.push(message),
			});
			const refreshed = slow.con.getAccessToken();
			await until(endpoint.held);
			// Another process takes the lease over (a stale-lock takeover), and keeps it.
			store.lease = { owner: Symbol("another process"), expiresAt: Date.now() + 60_000 };
			await until(() => warnings.some((line) => line.includes("taken over")));
			endpoint.open();
			const token = await refreshed;
			expect(platform().verifyAccessToken(token)).toBeDefined();
			expect(storedAccessTokens(store).includes(token), "the refreshed token was saved").toBe(saved);
			if (!saved) {
				expect(storedAccessTokens(store)).toEqual(expired);
				expect(warnings.some((line) => line.includes("kept in memory, not saved"))).toBe(true);
			}
			expect(store.lease?.owner.description, "the new holder keeps its lease").toBe("another process");
			store.lease = undefined;
		},
	);
});
