import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	type FakeIdentityPlatform,
	type FakeUser,
	startFakeIdentityPlatform,
	TestkitError,
} from "../src/index.js";
import { confidentialApp, crypto, expectNoSecretsRecorded, GRAPH_USER_READ, publicApp } from "./helpers.js";

const SECRET = "web-app-secret-value";
const WEB_REDIRECT = "https://app.test/auth/callback";
const OTHER_REDIRECT = "https://app.test/other/callback";

let idp: FakeIdentityPlatform;
let adele: FakeUser;
let megan: FakeUser;

beforeAll(async () => {
	idp = await startFakeIdentityPlatform({
		clients: [
			{ clientId: "web", clientSecret: SECRET, redirectUris: [WEB_REDIRECT, OTHER_REDIRECT] },
			{ clientId: "native", redirectUris: ["http://localhost"] },
		],
	});
	adele = idp.addUser({ username: "adele@contoso.test", name: "Adele Vance" });
	megan = idp.addUser({ username: "megan@contoso.test", password: "correct horse" });
});

afterAll(async () => {
	expectNoSecretsRecorded(idp, [SECRET, "correct horse"]);
	await idp.close();
});

async function startSignIn(redirectUri = WEB_REDIRECT) {
	const app = confidentialApp(idp, "web", { clientSecret: SECRET });
	const pkce = await crypto.generatePkceCodes();
	const state = crypto.createNewGuid();
	const nonce = crypto.createNewGuid();
	const url = await app.getAuthCodeUrl({
		scopes: [GRAPH_USER_READ],
		redirectUri,
		codeChallenge: pkce.challenge,
		codeChallengeMethod: "S256",
		state,
		nonce,
	});
	return { app, pkce, state, nonce, url };
}

function params(url: string): URLSearchParams {
	return new URL(url).searchParams;
}

describe("authorization code flow with msal-node", () => {
	it("signs in the first user with PKCE, state and nonce (confidential client)", async () => {
		idp.clearRequests();
		const { app, pkce, state, nonce, url } = await startSignIn();
		const redirected = await idp.browser.signIn(url);
		expect(redirected.startsWith(`${WEB_REDIRECT}?`)).toBe(true);
		const code = params(redirected).get("code") ?? "";
		expect(params(redirected).get("state")).toBe(state);
		expect(params(redirected).get("session_state")).toBeTruthy();
		const result = await app.acquireTokenByCode(
			{
				code,
				scopes: [GRAPH_USER_READ],
				redirectUri: WEB_REDIRECT,
				codeVerifier: pkce.verifier,
				state,
				nonce,
			},
			{ code, state: params(redirected).get("state") ?? "" },
		);
		expect(result.account).toMatchObject({
			homeAccountId: `${adele.oid}.${adele.tenantId}`,
			environment: "login.idp.test",
			tenantId: idp.tenantId,
			username: "adele@contoso.test",
			name: "Adele Vance",
			localAccountId: adele.oid,
		});
		expect(result.idTokenClaims).toMatchObject({ nonce, aud: "web", ver: "2.0" });
		expect(idp.verifyAccessToken(result.accessToken)).toMatchObject({
			scp: "User.Read openid profile",
			oid: adele.oid,
			preferred_username: "adele@contoso.test",
			idtyp: "user",
			azp: "web",
		});
		expect(idp.requests.map((request) => [request.method, request.status, request.grantType])).toEqual([
			["GET", 302, undefined],
			["POST", 200, "authorization_code"],
		]);
		expect(await app.getTokenCache().getAllAccounts()).toHaveLength(1);
	});

	it("signs in the user the browser names, or the login_hint", async () => {
		const named = await startSignIn();
		const viaOption = await idp.browser.signIn(named.url, {
			username: "megan@contoso.test",
			password: "correct horse",
		});
		const code = params(viaOption).get("code") ?? "";
		const result = await named.app.acquireTokenByCode({
			code,
			scopes: [GRAPH_USER_READ],
			redirectUri: WEB_REDIRECT,
			codeVerifier: named.pkce.verifier,
			nonce: named.nonce,
		});
		expect(result.account?.localAccountId).toBe(megan.oid);

		const hinted = await startSignIn();
		const hintUrl = `${hinted.url}&login_hint=${encodeURIComponent("adele@contoso.test")}`;
		const hintedCode = params(await idp.browser.signIn(hintUrl)).get("code") ?? "";
		const hintedResult = await hinted.app.acquireTokenByCode({
			code: hintedCode,
			scopes: [GRAPH_USER_READ],
			redirectUri: WEB_REDIRECT,
			codeVerifier: hinted.pkce.verifier,
			nonce: hinted.nonce,
		});
		expect(hintedResult.account?.username).toBe("adele@contoso.test");
	});

	it("refuses a wrong password for a user registered with one", async () => {
		const { url } = await startSignIn();
		const redirected = await idp.browser.signIn(url, { username: "megan@contoso.test", password: "wrong" });
		expect(params(redirected).get("error")).toBe("access_denied");
		expect(params(redirected).get("error_description")).toMatch(/^AADSTS50126/);
	});

	it("signs in with a public client on any loopback port, PKCE required", async () => {
		const app = publicApp(idp, "native");
		const pkce = await crypto.generatePkceCodes();
		const redirectUri = "http://localhost:51234";
		const url = await app.getAuthCodeUrl({
			scopes: [GRAPH_USER_READ],
			redirectUri,
			codeChallenge: pkce.challenge,
			codeChallengeMethod: "S256",
		});
		const code = params(await idp.browser.signIn(url)).get("code") ?? "";
		const result = await app.acquireTokenByCode({
			code,
			scopes: [GRAPH_USER_READ],
			redirectUri,
			codeVerifier: pkce.verifier,
		});
		expect(result.account?.username).toBe("adele@contoso.test");
		expect(idp.verifyAccessToken(result.accessToken)?.azpacr).toBe("0");

		const withoutPkce = await app.getAuthCodeUrl({ scopes: [GRAPH_USER_READ], redirectUri });
		const refused = await idp.browser.signIn(withoutPkce);
		expect(params(refused).get("error")).toBe("invalid_request");
		expect(params(refused).get("error_description")).toMatch(/^AADSTS9002325/);
	});

	it("refuses a code_verifier that does not match the challenge (AADSTS501481)", async () => {
		const { app, url } = await startSignIn();
		const code = params(await idp.browser.signIn(url)).get("code") ?? "";
		const other = await crypto.generatePkceCodes();
		await expect(
			app.acquireTokenByCode({
				code,
				scopes: [GRAPH_USER_READ],
				redirectUri: WEB_REDIRECT,
				codeVerifier: other.verifier,
			}),
		).rejects.toMatchObject({
			errorCode: "invalid_grant",
			errorMessage: expect.stringContaining("AADSTS501481"),
		});
	});

	it("redeems a code only once (AADSTS54005)", async () => {
		const { app, pkce, nonce, url } = await startSignIn();
		const code = params(await idp.browser.signIn(url)).get("code") ?? "";
		const request = {
			code,
			scopes: [GRAPH_USER_READ],
			redirectUri: WEB_REDIRECT,
			codeVerifier: pkce.verifier,
			nonce,
		};
		await expect(app.acquireTokenByCode(request)).resolves.toBeTruthy();
		await expect(app.acquireTokenByCode(request)).rejects.toMatchObject({
			errorCode: "invalid_grant",
			errorMessage: expect.stringContaining("AADSTS54005"),
		});
	});

	it("refuses a code redeemed with another redirect_uri than the authorize request's (AADSTS500112)", async () => {
		const { app, pkce, url } = await startSignIn();
		const code = params(await idp.browser.signIn(url)).get("code") ?? "";
		await expect(
			app.acquireTokenByCode({
				code,
				scopes: [GRAPH_USER_READ],
				redirectUri: OTHER_REDIRECT,
				codeVerifier: pkce.verifier,
			}),
		).rejects.toMatchObject({
			errorCode: "invalid_grant",
			errorMessage: expect.stringContaining("AADSTS500112"),
		});
	});

	it("refuses a code issued to another client", async () => {
		const { pkce, url } = await startSignIn();
		const code = params(await idp.browser.signIn(url)).get("code") ?? "";
		idp.addClient({ clientId: "web-2", clientSecret: SECRET, redirectUris: [WEB_REDIRECT] });
		const thief = confidentialApp(idp, "web-2", { clientSecret: SECRET });
		await expect(
			thief.acquireTokenByCode({
				code,
				scopes: [GRAPH_USER_READ],
				redirectUri: WEB_REDIRECT,
				codeVerifier: pkce.verifier,
			}),
		).rejects.toMatchObject({ errorCode: "invalid_grant" });
	});

	it("shows an error page, and does not redirect, for an unregistered redirect_uri (AADSTS50011)", async () => {
		const { url } = await startSignIn("https://evil.test/steal");
		idp.clearRequests();
		const failure = idp.browser.signIn(url);
		await expect(failure).rejects.toBeInstanceOf(TestkitError);
		await expect(failure).rejects.toThrow(/AADSTS50011: The redirect URI 'https:\/\/evil\.test\/steal'/);
		expect(idp.requests[0]).toMatchObject({ status: 400, error: "invalid_request" });
	});

	it("redirects with error=access_denied and the state when the user declines consent", async () => {
		const { url, state } = await startSignIn();
		const redirected = await idp.browser.signIn(url, { consent: false });
		expect(redirected.startsWith(WEB_REDIRECT)).toBe(true);
		expect(params(redirected).get("error")).toBe("access_denied");
		expect(params(redirected).get("error_description")).toMatch(/^AADSTS65004: User declined to consent/);
		expect(params(redirected).get("state")).toBe(state);
		expect(params(redirected).get("code")).toBeNull();
	});

	it("redirects with an error for an unknown user", async () => {
		const { url } = await startSignIn();
		const redirected = await idp.browser.signIn(url, { username: "nobody@contoso.test" });
		expect(params(redirected).get("error_description")).toMatch(/^AADSTS50034/);
	});
});
