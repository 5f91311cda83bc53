import { createPublicKey, type JsonWebKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeIdentityPlatform, startFakeIdentityPlatform } from "../src/index.js";
import { decodeJwt, verifyJwtSignature } from "../src/jwt.js";
import {
	confidentialApp,
	expectNoSecretsRecorded,
	GRAPH_DEFAULT,
	GRAPH_USER_READ,
	publicApp,
} from "./helpers.js";

let idp: FakeIdentityPlatform;

beforeAll(async () => {
	idp = await startFakeIdentityPlatform({
		tenantId: "11111111-2222-4333-8444-555555555555",
		clients: [
			{ clientId: "native", redirectUris: ["http://localhost"] },
			{ clientId: "daemon", clientSecret: "daemon-secret" },
		],
		users: [{ username: "megan@contoso.test", password: "pa55word" }],
	});
});

afterAll(async () => {
	expectNoSecretsRecorded(idp, ["daemon-secret", "pa55word"]);
	await idp.close();
});

describe("discovery, keys and routing", () => {
	it("serves the OpenID configuration at both discovery paths, on any tenant spelling", async () => {
		for (const path of [
			`/${idp.tenantId.toUpperCase()}/v2.0/.well-known/openid-configuration`,
			`/${idp.tenantId}/.well-known/openid-configuration`,
		]) {
			const doc = (await (await fetch(`${idp.origin}${path}`)).json()) as Record<string, unknown>;
			expect(doc.issuer).toBe(`https://login.idp.test/${idp.tenantId}/v2.0`);
			expect(String(doc.token_endpoint)).toMatch(new RegExp(`^${idp.origin}/`));
		}
		const common = (await (
			await fetch(`${idp.origin}/common/v2.0/.well-known/openid-configuration`)
		).json()) as Record<string, unknown>;
		expect(common.issuer).toBe("https://login.idp.test/{tenantid}/v2.0");
	});

	it("signs access tokens with the key published in the JWKS", async () => {
		const app = confidentialApp(idp, "daemon", { clientSecret: "daemon-secret" });
		const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] });
		const jwt = decodeJwt(result?.accessToken ?? "");
		const { keys } = (await (await fetch(`${idp.origin}/organizations/discovery/v2.0/keys`)).json()) as {
			keys: JsonWebKey[];
		};
		const key = keys.find((candidate) => candidate.kid === jwt?.header.kid);
		expect(key).toBeDefined();
		expect(jwt && verifyJwtSignature(jwt, createPublicKey({ key: key as JsonWebKey, format: "jwk" }))).toBe(
			true,
		);
		expect(idp.verifyAccessToken(`${result?.accessToken}x`)).toBeUndefined();
	});

	it("answers unknown paths with 404 and a GET on the token endpoint with an Entra error", async () => {
		expect((await fetch(`${idp.origin}/nowhere`)).status).toBe(404);
		const response = await fetch(`${idp.origin}/${idp.tenantId}/oauth2/v2.0/token`);
		expect(response.status).toBe(400);
		expect(((await response.json()) as { error_codes: number[] }).error_codes).toEqual([900561]);
	});

	it("refuses an unsupported grant type (AADSTS70003) and a request mixing two resources (AADSTS28000)", async () => {
		const post = (form: Record<string, string>) =>
			fetch(`${idp.origin}/${idp.tenantId}/oauth2/v2.0/token`, {
				method: "POST",
				body: new URLSearchParams(form),
			}).then(async (response) => (await response.json()) as { error: string; error_codes: number[] });
		expect(
			await post({ client_id: "native", grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer" }),
		).toMatchObject({
			error: "unsupported_grant_type",
			error_codes: [70003],
		});
		expect(
			await post({
				client_id: "native",
				grant_type: "password",
				username: "megan@contoso.test",
				password: "pa55word",
				scope: `${GRAPH_USER_READ} api://other/Read`,
			}),
		).toMatchObject({ error: "invalid_scope", error_codes: [28000] });
	});

	it("supports the password grant for users registered with a password", async () => {
		const app = publicApp(idp, "native");
		const result = await app.acquireTokenByUsernamePassword({
			username: "megan@contoso.test",
			password: "pa55word",
			scopes: [GRAPH_USER_READ],
		});
		expect(result?.account?.username).toBe("megan@contoso.test");
		await expect(
			app.acquireTokenByUsernamePassword({
				username: "megan@contoso.test",
				password: "nope",
				scopes: [GRAPH_USER_READ],
			}),
		).rejects.toMatchObject({ errorCode: "invalid_grant" });
	});
});
