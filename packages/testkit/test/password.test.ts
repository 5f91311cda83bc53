import { InteractionRequiredAuthError, ServerError } from "@azure/msal-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeIdentityPlatform, startFakeIdentityPlatform } from "../src/index.js";
import { confidentialApp, expectNoSecretsRecorded, GRAPH_USER_READ, publicApp } from "./helpers.js";

const PASSWORD = "Tr0ub4dor&3-never-logged";
const SECRET = "web-secret-never-logged";

let idp: FakeIdentityPlatform;

beforeAll(async () => {
	idp = await startFakeIdentityPlatform({
		clients: [
			{ clientId: "native", redirectUris: ["http://localhost"] },
			{ clientId: "web", clientSecret: SECRET, redirectUris: ["https://app.test/callback"] },
		],
		users: [
			{ username: "megan@contoso.test", password: PASSWORD },
			{ username: "mfa@contoso.test", password: PASSWORD, mfaRequired: true },
			{ username: "browser-only@contoso.test" },
		],
	});
});

afterAll(async () => {
	expectNoSecretsRecorded(idp, [PASSWORD, SECRET]);
	await idp.close();
});

/** Posts a password grant directly, for cases msal-node cannot produce (another tenant segment). */
async function postPassword(tenant: string, form: Record<string, string> = {}) {
	const response = await fetch(`${idp.origin}/${tenant}/oauth2/v2.0/token`, {
		method: "POST",
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams({
			client_id: "native",
			grant_type: "password",
			username: "megan@contoso.test",
			password: PASSWORD,
			scope: `${GRAPH_USER_READ} offline_access`,
			...form,
		}),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function signIn(app: ReturnType<typeof publicApp>, username: string, password = PASSWORD) {
	return app.acquireTokenByUsernamePassword({ username, password, scopes: [GRAPH_USER_READ] });
}

describe("the password grant (ROPC)", () => {
	it("signs a user in to a public client, with a refresh token msal can use", async () => {
		const app = publicApp(idp, "native");
		const result = await signIn(app, "megan@contoso.test");
		expect(result?.account?.username).toBe("megan@contoso.test");
		expect(idp.verifyAccessToken(result?.accessToken ?? "")).toMatchObject({
			preferred_username: "megan@contoso.test",
			scp: expect.stringMatching(/^User\.Read\b/),
			idtyp: "user",
		});
		idp.clearRequests();
		const refreshed = await app.acquireTokenSilent({
			account: result?.account ?? (undefined as never),
			scopes: [GRAPH_USER_READ],
			forceRefresh: true,
		});
		expect(refreshed?.accessToken).not.toBe(result?.accessToken);
		expect(idp.tokenRequests("refresh_token")).toHaveLength(1);
	});

	it("signs a user in to a confidential client that sends its secret", async () => {
		const app = confidentialApp(idp, "web", { clientSecret: SECRET });
		const result = await app.acquireTokenByUsernamePassword({
			username: "megan@contoso.test",
			password: PASSWORD,
			scopes: [GRAPH_USER_READ],
		});
		expect(idp.verifyAccessToken(result?.accessToken ?? "")?.azpacr).toBe("1");
	});

	it("refuses a wrong password with invalid_grant (AADSTS50126)", async () => {
		const error = await signIn(publicApp(idp, "native"), "megan@contoso.test", "wrong").catch((e) => e);
		expect(error).toBeInstanceOf(ServerError);
		expect(error).toMatchObject({ errorCode: "invalid_grant" });
		expect(error.errorMessage).toMatch(/AADSTS50126: Error validating credentials/);
	});

	it("refuses a user registered without a password (AADSTS50126), who can still sign in in the browser", async () => {
		const error = await signIn(publicApp(idp, "native"), "browser-only@contoso.test", "anything").catch(
			(e) => e,
		);
		expect(error).toMatchObject({ errorCode: "invalid_grant" });
		expect(error.errorMessage).toMatch(/AADSTS50126/);
	});

	it("refuses an unknown user with invalid_grant naming the directory (AADSTS50034)", async () => {
		const error = await signIn(publicApp(idp, "native"), "nobody@contoso.test").catch((e) => e);
		expect(error).toMatchObject({ errorCode: "invalid_grant" });
		expect(error.errorMessage).toMatch(/AADSTS50034: The user account .* does not exist in the .* directory/);
		expect(error.errorMessage).toContain(idp.tenantId);
	});

	it("refuses a user who must do MFA: interaction_required (AADSTS50076, suberror basic_action)", async () => {
		const error = await signIn(publicApp(idp, "native"), "mfa@contoso.test").catch((e) => e);
		expect(error).toBeInstanceOf(InteractionRequiredAuthError);
		expect(error).toMatchObject({ errorCode: "invalid_grant", subError: "basic_action" });
		expect(error.errorMessage).toMatch(/AADSTS50076: .*multi-factor authentication/);
		const raw = await postPassword(idp.tenantId, { username: "mfa@contoso.test" });
		expect(raw).toMatchObject({
			status: 400,
			body: { error: "invalid_grant", suberror: "basic_action", error_codes: [50076] },
		});
	});

	it.each(["common", "consumers"])(
		"refuses the grant at /%s: personal accounts cannot use it (AADSTS9001023)",
		async (tenant) => {
			const { status, body } = await postPassword(tenant);
			expect(status).toBe(400);
			expect(body).toMatchObject({ error: "invalid_request", error_codes: [9001023] });
			expect(body.error_description).toMatch(/\/organizations or tenant-specific endpoint/);
		},
	);

	it("accepts the grant at /organizations and at the tenant's id", async () => {
		expect((await postPassword("organizations")).status).toBe(200);
		expect((await postPassword(idp.tenantId)).status).toBe(200);
	});

	it("refuses a confidential app that sends no secret: public client flows are not allowed (AADSTS7000218)", async () => {
		const { status, body } = await postPassword(idp.tenantId, { client_id: "web" });
		expect(status).toBe(401);
		expect(body).toMatchObject({ error: "invalid_client", error_codes: [7000218] });
	});
});
