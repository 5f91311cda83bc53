import { setImmediate as nextTurn } from "node:timers/promises";
import { Account, type LeaseOptions, MemoryTokenBackend, O365Error, type TokenLease } from "@o365/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAEMON, REDIRECT_URI, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";

// An already-aborted signal: a typed `aborted` error, nothing sent (an authorization code stays
// unspent), and no promise left to reject unobserved (Node's default exits the process on one).
const platform = useFakePlatform();

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => {
	unhandled.push(reason);
};
beforeEach(() => {
	unhandled.length = 0;
	process.on("unhandledRejection", onUnhandled);
	platform().clearRequests();
});
afterEach(() => {
	process.off("unhandledRejection", onUnhandled);
});

/** Counts the leases taken: a refresh that starts takes one before anything is sent. */
class CountingLeaseBackend extends MemoryTokenBackend {
	leasesTaken = 0;

	override acquireLease(options: LeaseOptions): Promise<TokenLease> {
		this.leasesTaken += 1;
		return super.acquireLease(options);
	}
}

function webApp(tokenBackend = new MemoryTokenBackend()) {
	return new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
		tenantId: platform().tenantId,
		tokenBackend,
		redirectUri: REDIRECT_URI,
		...platform().msalConfig(),
	});
}

function daemon() {
	return new Account([DAEMON.clientId, DAEMON.clientSecret], {
		authFlowType: "credentials",
		tenantId: platform().tenantId,
		...platform().msalConfig(),
	});
}

async function expectAborted(call: Promise<unknown>) {
	const error = await call.catch((caught: unknown) => caught);
	expect(error).toBeInstanceOf(O365Error);
	expect(error).toMatchObject({ code: "aborted" });
}

/** Lets whatever the aborted call left running settle, and its rejection be reported. */
async function expectNoUnhandledRejection() {
	await nextTurn();
	await nextTurn();
	expect(unhandled, "unhandled rejections").toEqual([]);
}

describe("an already-aborted signal", () => {
	it("requestToken: aborted, the code is not sent, and a retry without the signal redeems it", async () => {
		const account = webApp();
		const { url, flow } = await account.getAuthorizationUrl(["basic"]);
		const redirect = await platform().browser.signIn(url);
		await expectAborted(account.requestToken(redirect, { flow, signal: AbortSignal.abort() }));
		expect(platform().tokenRequests(), "token requests sent").toEqual([]);
		await expect(account.requestToken(redirect, { flow })).resolves.toBe(true);
		expect(platform().tokenRequests("authorization_code")).toHaveLength(1);
		await expectNoUnhandledRejection();
	});

	it("authenticate: aborted before the consent step, nothing sent, a retry signs in", async () => {
		const account = webApp();
		let consents = 0;
		const handleConsent = (url: string) => {
			consents += 1;
			return platform().browser.signIn(url);
		};
		await expectAborted(
			account.authenticate({ scopes: ["basic"], handleConsent, signal: AbortSignal.abort() }),
		);
		expect(consents, "consent steps shown").toBe(0);
		expect(platform().tokenRequests(), "token requests sent").toEqual([]);
		await expect(account.authenticate({ scopes: ["basic"], handleConsent })).resolves.toBe(true);
		await expectNoUnhandledRejection();
	});

	it("the credentials flow: aborted, no client-credentials grant, a retry signs in", async () => {
		const account = daemon();
		await expectAborted(account.authenticate({ signal: AbortSignal.abort() }));
		await expectAborted(account.requestToken(null, { signal: AbortSignal.abort() }));
		expect(platform().tokenRequests(), "token requests sent").toEqual([]);
		await expect(account.authenticate()).resolves.toBe(true);
		expect(platform().tokenRequests("client_credentials")).toHaveLength(1);
		await expectNoUnhandledRejection();
	});

	it("getAccessToken({ forceRefresh }): aborted, no refresh-token grant, a retry refreshes", async () => {
		const backend = new CountingLeaseBackend();
		const account = webApp(backend);
		const { url, flow } = await account.getAuthorizationUrl(["basic"]);
		await account.requestToken(await platform().browser.signIn(url), { flow });
		platform().clearRequests();
		await expectAborted(account.con.getAccessToken({ forceRefresh: true, signal: AbortSignal.abort() }));
		await expectAborted(account.con.refreshToken({ signal: AbortSignal.abort() }));
		await nextTurn(); // a refresh started in the background would have taken the lease by now
		expect(backend.leasesTaken, "refreshes started").toBe(0);
		expect(platform().tokenRequests(), "token requests sent").toEqual([]);
		await expect(account.con.refreshToken()).resolves.toBe(true);
		expect(platform().tokenRequests("refresh_token")).toHaveLength(1);
		await expectNoUnhandledRejection();
	});

	it("getAccessToken({ forceRefresh }) with nobody signed in: aborted, not an unhandled sign_in_required", async () => {
		const account = webApp();
		await expectAborted(account.con.getAccessToken({ forceRefresh: true, signal: AbortSignal.abort() }));
		await expectNoUnhandledRejection();
	});
});
