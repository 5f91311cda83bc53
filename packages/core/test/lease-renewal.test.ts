import {
	Account,
	type LeaseOptions,
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

// Entra rotates refresh tokens and refuses a rotated-away one: two refreshes at once show up as
// an invalid_grant, one lease holder at a time as a single grant.
const platform = useFakePlatform({ rotateRefreshTokens: true, rejectRefreshTokenReuse: true });

/** How long the store's leases last, whatever core asks for: like a store configured with a short TTL. */
const STORE_LEASE_TTL_MS = 150;

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

function instance(tokenBackend: TokenBackend, networkClient?: NetworkClient) {
	const idp = platform();
	return new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
		tenantId: idp.tenantId,
		tokenBackend,
		redirectUri: REDIRECT_URI,
		...idp.msalConfig(),
		...(networkClient === undefined ? {} : { networkClient }),
	});
}

async function signIn(account: Account) {
	const { url, flow } = await account.getAuthorizationUrl(["basic"]);
	await account.requestToken(await platform().browser.signIn(url), { flow });
}

/** Rewrites the stored token so that its access token expired a minute ago. */
async function expireStoredAccessToken(backend: TokenBackend) {
	await backend.loadToken();
	const cache = JSON.parse(backend.serialize());
	for (const entry of Object.values(cache.AccessToken) as { expires_on: string }[]) {
		entry.expires_on = String(Math.floor(Date.now() / 1000) - 60);
	}
	backend.deserialize(JSON.stringify(cache), { changed: true });
	await backend.saveToken({ force: true });
}

describe("a refresh that takes longer than the lease's TTL", () => {
	beforeEach(() => platform().clearRequests());

	it("keeps the lease renewed: another instance waits, one refresh-token grant in all", async () => {
		const store = new MemoryTokenStore();
		await signIn(instance(new MemoryTokenBackend({ store })));
		await expireStoredAccessToken(new MemoryTokenBackend({ store }));
		let openGate = () => {};
		const gate = new Promise<void>((resolve) => {
			openGate = resolve;
		});
		let grantHeld = false;
		const slow = instance(
			new ShortLeaseBackend({ store }),
			slowTokenEndpoint(gate, () => {
				grantHeld = true;
			}),
		);
		const waitingBackend = new WaitingBackend({ store });
		const other = instance(waitingBackend);
		platform().clearRequests();

		const slowToken = slow.con.getAccessToken();
		await until(() => grantHeld);
		const firstExpiry = store.lease?.expiresAt ?? 0;
		expect(firstExpiry, "the slow instance holds the lease during its refresh").toBeGreaterThan(0);
		// Well past the lease's first TTL, the refresh is still in flight.
		await until(() => Date.now() > firstExpiry + STORE_LEASE_TTL_MS);
		const otherToken = other.con.getAccessToken();
		await until(() => waitingBackend.foundHeld || platform().tokenRequests("refresh_token").length > 0);
		openGate();
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
});
