import { Account, AuthenticationError, MemoryTokenBackend } from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { REDIRECT_URI, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";

const platform = useFakePlatform();

function webAccount(options: { backend?: MemoryTokenBackend; storeTokenAfterRefresh?: boolean } = {}) {
	const idp = platform();
	return new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
		tenantId: idp.tenantId,
		tokenBackend: options.backend ?? new MemoryTokenBackend(),
		redirectUri: REDIRECT_URI,
		...(options.storeTokenAfterRefresh === undefined
			? {}
			: { storeTokenAfterRefresh: options.storeTokenAfterRefresh }),
		...idp.msalConfig(),
	});
}

async function signIn(account: Account, username = "adele@contoso.test") {
	const { url, flow } = await account.getAuthorizationUrl(["basic", "message_all"]);
	const redirected = await platform().browser.signIn(url, { username });
	// the flow is plain JSON: a web app keeps it in its session between the two requests
	await account.requestToken(redirected, { flow: JSON.parse(JSON.stringify(flow)) });
}

/** Moves every stored access token's expiry into the past, as if an hour had gone by. */
async function expireAccessTokens(backend: MemoryTokenBackend) {
	const cache = JSON.parse(backend.serialize());
	for (const entry of Object.values(cache.AccessToken) as { expires_on: string }[]) {
		entry.expires_on = String(Math.floor(Date.now() / 1000) - 10);
	}
	backend.deserialize(JSON.stringify(cache), { changed: true });
	await backend.saveToken();
}

describe("authorization-code flow (web app) against the fake identity platform", () => {
	beforeEach(() => {
		platform().clearRequests();
		platform().settings.accessTokenLifetime = 3600;
	});

	it("builds a PKCE sign-in URL with state and nonce, and returns the flow as plain JSON", async () => {
		const account = webAccount();
		const { url, flow } = await account.getAuthorizationUrl(["basic", "offline_access"]);
		const query = new URL(url).searchParams;
		expect(query.get("client_id")).toBe(WEB_APP.clientId);
		expect(query.get("redirect_uri")).toBe(REDIRECT_URI);
		expect(query.get("code_challenge_method")).toBe("S256");
		expect(query.get("code_challenge")).toMatch(/^[\w-]{43}$/);
		expect(query.get("state")).toBe(flow.state);
		expect(query.get("nonce")).toBe(flow.nonce);
		expect(query.get("scope")?.split(" ")).toContain("https://graph.microsoft.com/User.Read");
		expect(flow.scopes).toEqual(["https://graph.microsoft.com/User.Read", "offline_access"]);
		expect(JSON.parse(JSON.stringify(flow))).toEqual(flow);
		expect(platform().requests).toHaveLength(0);
	});

	it("signs a user in, stores the token and selects that user", async () => {
		const backend = new MemoryTokenBackend();
		const account = webAccount({ backend });
		await signIn(account);
		expect(account.username).toBe("adele@contoso.test");
		expect(await account.isAuthenticated()).toBe(true);
		expect(await backend.checkToken()).toBe(true);
		const grants = platform().tokenRequests("authorization_code");
		expect(grants).toHaveLength(1);
		const token = await account.con.getAccessToken();
		expect(platform().verifyAccessToken(token)?.preferred_username).toBe("adele@contoso.test");
		expect(backend.getTokenScopes({ username: "adele@contoso.test", removeReserved: true })).toEqual(
			expect.arrayContaining([
				"https://graph.microsoft.com/User.Read",
				"https://graph.microsoft.com/Mail.Send",
			]),
		);
	});

	it("serves a warm token without any request and without touching storage", async () => {
		const backend = new MemoryTokenBackend();
		const account = webAccount({ backend });
		await signIn(account);
		platform().clearRequests();
		let reads = 0;
		const read = backend.read.bind(backend);
		backend.read = async () => {
			reads += 1;
			return read();
		};
		const first = await account.con.getAccessToken();
		for (let i = 0; i < 100; i += 1) expect(await account.con.getAccessToken()).toBe(first);
		expect(platform().requests).toHaveLength(0);
		expect(reads).toBe(0);
	});

	it("refreshes an expired access token with exactly one refresh-token grant for many concurrent callers", async () => {
		const backend = new MemoryTokenBackend();
		const account = webAccount({ backend });
		await signIn(account);
		const before = await account.con.getAccessToken();
		await expireAccessTokens(backend);
		const restarted = webAccount({ backend }); // as a new process sharing the store would
		platform().clearRequests();
		const tokens = await Promise.all(Array.from({ length: 200 }, () => restarted.con.getAccessToken()));
		expect(new Set(tokens).size).toBe(1);
		expect(tokens[0]).not.toBe(before);
		expect(platform().tokenRequests("refresh_token")).toHaveLength(1);
	});

	it("stores the rotated refresh token right after a refresh (storeTokenAfterRefresh)", async () => {
		const backend = new MemoryTokenBackend();
		const account = webAccount({ backend });
		await signIn(account);
		const storedBefore = await backend.read();
		await account.con.refreshToken();
		const storedAfter = await backend.read();
		expect(storedAfter).not.toBe(storedBefore);
		expect(backend.hasStateChanged).toBe(false);
	});

	it("keeps a refresh in memory only when storeTokenAfterRefresh is false", async () => {
		const backend = new MemoryTokenBackend();
		const account = webAccount({ backend, storeTokenAfterRefresh: false });
		await signIn(account);
		const storedBefore = await backend.read();
		await account.con.refreshToken();
		expect(await backend.read()).toBe(storedBefore);
		expect(backend.hasStateChanged).toBe(true);
		await backend.saveToken();
		expect(await backend.read()).not.toBe(storedBefore);
	});

	it("refreshToken() really asks the identity platform, even with a fresh access token", async () => {
		const account = webAccount();
		await signIn(account);
		const before = await account.con.getAccessToken();
		platform().clearRequests();
		expect(await account.con.refreshToken()).toBe(true);
		expect(platform().tokenRequests("refresh_token")).toHaveLength(1);
		expect(await account.con.getAccessToken()).not.toBe(before);
	});

	it("rejects a redirect whose state belongs to another sign-in, before any request", async () => {
		const account = webAccount();
		const first = await account.getAuthorizationUrl(["basic"]);
		const second = await account.getAuthorizationUrl(["basic"]);
		const redirected = await platform().browser.signIn(first.url);
		platform().clearRequests();
		const error = await account.requestToken(redirected, { flow: second.flow }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(AuthenticationError);
		expect((error as AuthenticationError).code).toBe("state_mismatch");
		expect(platform().tokenRequests()).toHaveLength(0);
	});

	it("reports the user's refusal with the provider's description", async () => {
		const account = webAccount();
		const { url, flow } = await account.getAuthorizationUrl(["basic"]);
		const redirected = await platform().browser.signIn(url, { consent: false });
		const error = (await account
			.requestToken(redirected, { flow })
			.catch((e: unknown) => e)) as AuthenticationError;
		expect(error.code).toBe("authorization_denied");
		expect(error.providerError.error).toBe("access_denied");
		expect(error.providerError.errorDescription).toBeTruthy();
		expect(await account.isAuthenticated()).toBe(false);
	});

	it("fails with the identity platform's words when the PKCE verifier does not match", async () => {
		const account = webAccount();
		const { url, flow } = await account.getAuthorizationUrl(["basic"]);
		const redirected = await platform().browser.signIn(url);
		const tampered = { ...flow, codeVerifier: "x".repeat(43) };
		const error = (await account
			.requestToken(redirected, { flow: tampered })
			.catch((e: unknown) => e)) as AuthenticationError;
		expect(error).toBeInstanceOf(AuthenticationError);
		expect(error.code).toBe("token_request_failed");
		expect(error.providerError.error).toBe("invalid_grant");
		expect(error.message).not.toContain("x".repeat(43));
	});

	it("rejects a replayed authorization code", async () => {
		const account = webAccount();
		const { url, flow } = await account.getAuthorizationUrl(["basic"]);
		const redirected = await platform().browser.signIn(url);
		await account.requestToken(redirected, { flow });
		const error = (await webAccount()
			.requestToken(redirected, { flow })
			.catch((e: unknown) => e)) as AuthenticationError;
		expect(error.providerError.error).toBe("invalid_grant");
	});

	it("rejects a wrong client secret as an authentication error that names the fix", async () => {
		const idp = platform();
		const account = new Account([WEB_APP.clientId, "not-the-secret"], {
			tenantId: idp.tenantId,
			redirectUri: REDIRECT_URI,
			...idp.msalConfig(),
		});
		const { url, flow } = await account.getAuthorizationUrl(["basic"]);
		const redirected = await idp.browser.signIn(url);
		const error = (await account
			.requestToken(redirected, { flow })
			.catch((e: unknown) => e)) as AuthenticationError;
		expect(error.code).toBe("token_request_failed");
		expect(error.providerError.error).toBe("invalid_client");
		expect(error.message).toMatch(/client secret or certificate/);
		expect(error.message).not.toContain("not-the-secret");
	});

	it("turns a revoked refresh token into a typed sign-in-required error", async () => {
		const backend = new MemoryTokenBackend();
		const account = webAccount({ backend });
		await signIn(account, "megan@contoso.test");
		platform().revokeRefreshTokens({ username: "megan@contoso.test" });
		const error = (await account.con.refreshToken().catch((e: unknown) => e)) as AuthenticationError;
		expect(error).toBeInstanceOf(AuthenticationError);
		expect(error.code).toBe("sign_in_required");
		expect(error.providerError.error).toBe("invalid_grant");
		expect(error.message).toMatch(/authenticate\(\)/);
		// the identity platform's sentence, without msal-node's timestamp and trace boilerplate
		expect(error.message).toMatch(
			/^Could not refresh the access token \(invalid_grant: AADSTS\d+: [^)]*\)\. The user/,
		);
		expect(error.message).not.toMatch(/Trace ID|Timestamp/);
		expect(await backend.checkToken()).toBe(true); // the stored token is not destroyed
	});

	it("holds several users and switches between them by username, case-insensitively", async () => {
		const backend = new MemoryTokenBackend();
		const account = webAccount({ backend });
		await signIn(account, "adele@contoso.test");
		await signIn(account, "megan@contoso.test");
		expect(account.username).toBe("megan@contoso.test");
		expect(await account.getAuthenticatedUsernames()).toEqual(["adele@contoso.test", "megan@contoso.test"]);
		const megan = await account.con.getAccessToken();
		account.username = "ADELE@contoso.test";
		const adele = await account.con.getAccessToken();
		expect(platform().verifyAccessToken(megan)?.preferred_username).toBe("megan@contoso.test");
		expect(platform().verifyAccessToken(adele)?.preferred_username).toBe("adele@contoso.test");
	});

	it("selects the first stored user by username when none is named (a new process)", async () => {
		const backend = new MemoryTokenBackend();
		const first = webAccount({ backend });
		await signIn(first, "megan@contoso.test");
		await signIn(first, "adele@contoso.test");
		const restarted = webAccount({ backend });
		expect(await restarted.isAuthenticated()).toBe(true);
		expect(restarted.username).toBe("adele@contoso.test");
	});

	it("asks for a new sign-in when nobody has signed in", async () => {
		const error = (await webAccount()
			.con.getAccessToken()
			.catch((e: unknown) => e)) as AuthenticationError;
		expect(error.code).toBe("sign_in_required");
	});
});
