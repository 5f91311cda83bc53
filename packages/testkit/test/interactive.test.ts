import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeIdentityPlatform, startFakeIdentityPlatform } from "../src/index.js";
import { expectNoSecretsRecorded, GRAPH_USER_READ, publicApp } from "./helpers.js";

let idp: FakeIdentityPlatform;

beforeAll(async () => {
	idp = await startFakeIdentityPlatform({
		clients: [{ clientId: "native", redirectUris: ["http://localhost"] }],
		users: [{ username: "adele@contoso.test", name: "Adele Vance" }, { username: "megan@contoso.test" }],
	});
});

afterAll(async () => {
	expectNoSecretsRecorded(idp);
	await idp.close();
});

describe("acquireTokenInteractive with the fake browser", () => {
	it("signs in through msal-node's loopback server with response_mode=form_post", async () => {
		const app = publicApp(idp, "native");
		idp.clearRequests();
		const result = await app.acquireTokenInteractive({
			scopes: [GRAPH_USER_READ],
			openBrowser: idp.browser.openBrowser,
		});
		expect(result.account).toMatchObject({
			username: "adele@contoso.test",
			name: "Adele Vance",
			environment: "login.idp.test",
		});
		const [authorize, token] = idp.requests;
		expect(authorize).toMatchObject({ method: "GET", status: 200 });
		expect(authorize?.query).toMatchObject({ response_mode: "form_post", code_challenge_method: "S256" });
		expect(authorize?.query.redirect_uri).toMatch(/^http:\/\/localhost:\d+$/);
		expect(token).toMatchObject({ method: "POST", status: 200, grantType: "authorization_code" });
		expect(token?.form.client_secret).toBeUndefined();
		expect(idp.requests).toHaveLength(2);

		idp.clearRequests();
		const silent = await app.acquireTokenSilent({
			account: result.account ?? undefined!,
			scopes: [GRAPH_USER_READ],
		});
		expect(silent.fromCache).toBe(true);
		expect(idp.requests).toHaveLength(0);
	});

	it("signs in a chosen user with a custom openBrowser", async () => {
		const app = publicApp(idp, "native");
		const result = await app.acquireTokenInteractive({
			scopes: [GRAPH_USER_READ],
			openBrowser: async (url) => {
				const posted = new URL(await idp.browser.signIn(url, { username: "megan@contoso.test" }));
				expect(posted.searchParams.get("client_info")).toBeTruthy();
			},
		});
		expect(result.account?.username).toBe("megan@contoso.test");
	});

	it("rejects with access_denied when the user declines consent", async () => {
		const app = publicApp(idp, "native");
		const tokenRequestsBefore = idp.tokenRequests().length;
		await expect(
			app.acquireTokenInteractive({
				scopes: [GRAPH_USER_READ],
				openBrowser: async (url) => {
					await idp.browser.signIn(url, { consent: false });
				},
			}),
		).rejects.toMatchObject({ errorCode: "access_denied" });
		expect(idp.tokenRequests()).toHaveLength(tokenRequestsBefore); // a declined sign-in redeems nothing
	});
});
