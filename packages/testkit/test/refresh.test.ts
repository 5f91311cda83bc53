import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeIdentityPlatform, startFakeIdentityPlatform } from "../src/index.js";
import {
	cachedRefreshToken,
	expectNoSecretsRecorded,
	GRAPH_USER_READ,
	publicApp,
	signInPublicClient,
} from "./helpers.js";

let idp: FakeIdentityPlatform;
const issued: string[] = [];

beforeAll(async () => {
	idp = await startFakeIdentityPlatform({
		clients: [{ clientId: "native", redirectUris: ["http://localhost"] }],
		users: [{ username: "adele@contoso.test" }, { username: "megan@contoso.test" }],
	});
});

afterEach(() => {
	Object.assign(idp.settings, {
		accessTokenLifetime: 3600,
		rotateRefreshTokens: true,
		rejectRefreshTokenReuse: true,
		scopeEcho: "asRequested",
		omit: [],
		refreshIn: undefined,
	});
});

afterAll(async () => {
	expectNoSecretsRecorded(idp, issued);
	await idp.close();
});

describe("silent token acquisition and refresh tokens", () => {
	it("answers acquireTokenSilent from the cache with zero requests", async () => {
		const app = publicApp(idp, "native");
		const { account } = await signInPublicClient(idp, app);
		idp.clearRequests();
		const silent = await app.acquireTokenSilent({ account, scopes: [GRAPH_USER_READ] });
		expect(silent.fromCache).toBe(true);
		expect(idp.requests).toHaveLength(0);
	});

	it("refreshes an expired access token with exactly one refresh_token grant, rotating the refresh token", async () => {
		idp.settings.accessTokenLifetime = 299; // msal renews 300 s early, so this is "already expired"
		const app = publicApp(idp, "native");
		const { account } = await signInPublicClient(idp, app);
		const before = cachedRefreshToken(app);
		issued.push(before);
		idp.clearRequests();
		const silent = await app.acquireTokenSilent({ account, scopes: [GRAPH_USER_READ] });
		expect(silent.fromCache).toBe(false);
		expect(idp.requests).toHaveLength(1);
		expect(idp.tokenRequests("refresh_token")).toHaveLength(1);
		expect(idp.requests[0]?.form.refresh_token).toBe("[redacted]");
		const after = cachedRefreshToken(app);
		issued.push(after);
		expect(after).not.toBe(before);
		expect(silent.account?.homeAccountId).toBe(account.homeAccountId);
	});

	it("refuses a refresh token that was rotated away (invalid_grant, AADSTS70000)", async () => {
		const app = publicApp(idp, "native");
		const { account } = await signInPublicClient(idp, app);
		const original = cachedRefreshToken(app);
		await app.acquireTokenSilent({ account, scopes: [GRAPH_USER_READ], forceRefresh: true });
		await expect(
			app.acquireTokenByRefreshToken({ refreshToken: original, scopes: [GRAPH_USER_READ] }),
		).rejects.toMatchObject({
			errorCode: "invalid_grant",
			errorMessage: expect.stringContaining("AADSTS70000"),
		});
		// The current one still works.
		await expect(
			app.acquireTokenSilent({ account, scopes: [GRAPH_USER_READ], forceRefresh: true }),
		).resolves.toBeTruthy();
	});

	it("keeps the refresh token when rotation is off, and accepts rotated-away tokens when reuse is allowed", async () => {
		idp.settings.rotateRefreshTokens = false;
		const app = publicApp(idp, "native");
		const { account } = await signInPublicClient(idp, app);
		const original = cachedRefreshToken(app);
		await app.acquireTokenSilent({ account, scopes: [GRAPH_USER_READ], forceRefresh: true });
		expect(cachedRefreshToken(app)).toBe(original);

		idp.settings.rotateRefreshTokens = true;
		idp.settings.rejectRefreshTokenReuse = false;
		await app.acquireTokenSilent({ account, scopes: [GRAPH_USER_READ], forceRefresh: true });
		expect(cachedRefreshToken(app)).not.toBe(original);
		await expect(
			app.acquireTokenByRefreshToken({ refreshToken: original, scopes: [GRAPH_USER_READ] }),
		).resolves.toBeTruthy();
	});

	it("refuses revoked refresh tokens of one user only (invalid_grant, AADSTS50173)", async () => {
		const adeleApp = publicApp(idp, "native");
		const meganApp = publicApp(idp, "native");
		const adele = await signInPublicClient(idp, adeleApp, { username: "adele@contoso.test" });
		const megan = await signInPublicClient(idp, meganApp, { username: "megan@contoso.test" });
		idp.revokeRefreshTokens({ username: "adele@contoso.test" });
		await expect(
			adeleApp.acquireTokenSilent({ account: adele.account, scopes: [GRAPH_USER_READ], forceRefresh: true }),
		).rejects.toMatchObject({
			errorCode: "invalid_grant",
			errorMessage: expect.stringContaining("AADSTS50173"),
		});
		await expect(
			meganApp.acquireTokenSilent({ account: megan.account, scopes: [GRAPH_USER_READ], forceRefresh: true }),
		).resolves.toBeTruthy();
		// Signing in again gives a refresh token that works.
		const again = await signInPublicClient(idp, adeleApp, { username: "adele@contoso.test" });
		await expect(
			adeleApp.acquireTokenSilent({ account: again.account, scopes: [GRAPH_USER_READ], forceRefresh: true }),
		).resolves.toBeTruthy();
	});

	it("makes every silent call miss msal's cache when scopes are echoed in short form", async () => {
		idp.settings.scopeEcho = "short";
		const app = publicApp(idp, "native");
		const { account, scopes } = await signInPublicClient(idp, app);
		expect(scopes).toEqual(["User.Read", "openid", "profile"]);
		idp.clearRequests();
		await app.acquireTokenSilent({ account, scopes: [GRAPH_USER_READ] });
		await app.acquireTokenSilent({ account, scopes: [GRAPH_USER_READ] });
		expect(idp.tokenRequests("refresh_token")).toHaveLength(2);
	});

	it("sends refresh_in when refreshIn is set, and drops omitted fields", async () => {
		idp.settings.refreshIn = 1800;
		const app = publicApp(idp, "native");
		const signedIn = await signInPublicClient(idp, app);
		expect(signedIn.refreshOn).toBeInstanceOf(Date);

		idp.settings.omit = ["id_token", "client_info"];
		const bare = publicApp(idp, "native");
		const pkceless = await bare.acquireTokenByRefreshToken({
			refreshToken: cachedRefreshToken(app),
			scopes: [GRAPH_USER_READ],
		});
		expect(pkceless?.account).toBeNull();
		expect(await bare.getTokenCache().getAllAccounts()).toHaveLength(0);
	});

	it("fails the next refresh with an injected fault, then recovers", async () => {
		const app = publicApp(idp, "native");
		const { account } = await signInPublicClient(idp, app);
		idp.failNext({
			grantType: "refresh_token",
			error: "interaction_required",
			suberror: "basic_action",
			errorDescription: "AADSTS50076: MFA required.",
		});
		await expect(
			app.acquireTokenSilent({ account, scopes: [GRAPH_USER_READ], forceRefresh: true }),
		).rejects.toMatchObject({
			errorCode: "interaction_required",
			subError: "basic_action",
		});
		await expect(
			app.acquireTokenSilent({ account, scopes: [GRAPH_USER_READ], forceRefresh: true }),
		).resolves.toBeTruthy();
	});
});

describe("secretSeed", () => {
	const options = {
		secretSeed: "demo-seed",
		clients: [{ clientId: "native", redirectUris: ["http://localhost"] }],
		users: [{ username: "adele@contoso.test" }],
	};

	it("lets a fake started later with the same seed redeem refresh tokens of an earlier one", async () => {
		const first = await startFakeIdentityPlatform(options);
		const app1 = publicApp(first, "native");
		const { account } = await signInPublicClient(first, app1);
		const serialized = app1.getTokenCache().serialize();
		await first.close();

		const second = await startFakeIdentityPlatform(options);
		try {
			expect(second.tenantId).toBe(first.tenantId);
			expect(second.users[0]?.oid).toBe(first.users[0]?.oid);
			const app2 = publicApp(second, "native");
			app2.getTokenCache().deserialize(serialized);
			const [restored] = await app2.getTokenCache().getAllAccounts();
			expect(restored?.homeAccountId).toBe(account.homeAccountId);
			const refreshed = await app2.acquireTokenSilent({
				account: restored ?? account,
				scopes: [GRAPH_USER_READ],
				forceRefresh: true,
			});
			expect(refreshed.account?.homeAccountId).toBe(account.homeAccountId);
			expect(second.verifyAccessToken(refreshed.accessToken)?.oid).toBe(first.users[0]?.oid);
			expect(second.tokenRequests("refresh_token")).toHaveLength(1);
		} finally {
			await second.close();
		}
	});

	it("refuses those refresh tokens with another seed", async () => {
		const first = await startFakeIdentityPlatform(options);
		const app1 = publicApp(first, "native");
		await signInPublicClient(first, app1);
		const refreshToken = cachedRefreshToken(app1);
		await first.close();
		const other = await startFakeIdentityPlatform({
			...options,
			secretSeed: "another-seed",
			tenantId: first.tenantId,
		});
		try {
			const app2 = publicApp(other, "native");
			await expect(
				app2.acquireTokenByRefreshToken({ refreshToken, scopes: [GRAPH_USER_READ] }),
			).rejects.toMatchObject({
				errorCode: "invalid_grant",
			});
		} finally {
			await other.close();
		}
	});
});
