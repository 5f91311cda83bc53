import { createPrivateKey, createPublicKey, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSelfSignedCertificate } from "../src/certificate.js";
import {
	createTestCertificate,
	type FakeIdentityPlatform,
	startFakeIdentityPlatform,
	type TestCertificate,
} from "../src/index.js";
import { type JwtAlgorithm, signJwt } from "../src/jwt.js";
import { confidentialApp, expectNoSecretsRecorded, GRAPH_DEFAULT, GRAPH_USER_READ } from "./helpers.js";

const SECRET = "s3cret-value-never-logged";

let idp: FakeIdentityPlatform;
let cert: TestCertificate;
let otherCert: TestCertificate;

beforeAll(async () => {
	cert = createTestCertificate();
	otherCert = createTestCertificate({ subject: "not-registered" });
	idp = await startFakeIdentityPlatform({
		clients: [
			{ clientId: "app-secret", clientSecret: SECRET, appRoles: ["Mail.Read", "User.Read.All"] },
			{ clientId: "app-cert", certificates: [{ certificate: cert.certificate }] },
			{ clientId: "public-app", redirectUris: ["http://localhost"] },
		],
	});
});

afterAll(async () => {
	expectNoSecretsRecorded(idp, [SECRET, cert.privateKey]);
	await idp.close();
});

/** Posts a token request directly, for cases msal-node cannot produce. */
async function postToken(
	form: Record<string, string>,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
	const response = await fetch(`${idp.origin}/${idp.tenantId}/oauth2/v2.0/token`, {
		method: "POST",
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams(form),
	});
	return {
		status: response.status,
		headers: response.headers,
		body: (await response.json()) as Record<string, unknown>,
	};
}

function assertion(overrides: Record<string, unknown>, key = cert.privateKey): string {
	const now = Math.floor(Date.now() / 1000);
	return signJwt(
		{ typ: "JWT", "x5t#S256": Buffer.from(cert.thumbprintSha256, "hex").toString("base64url") },
		{
			aud: `${idp.origin}/${idp.tenantId}/oauth2/v2.0/token`,
			iss: "app-cert",
			sub: "app-cert",
			nbf: now,
			exp: now + 600,
			jti: randomUUID(),
			...overrides,
		},
		createPrivateKey(key),
		"PS256",
	);
}

/** base64url of a hex thumbprint, as a JWT header's `x5t` / `x5t#S256` carries it. */
function headerThumbprint(hex: string): string {
	return Buffer.from(hex, "hex").toString("base64url");
}

/** An assertion for app-cert with a hand-chosen header and algorithm, signed with the registered key. */
function assertionWithHeader(header: Record<string, unknown>, alg: JwtAlgorithm): string {
	const now = Math.floor(Date.now() / 1000);
	return signJwt(
		{ typ: "JWT", ...header },
		{
			aud: `${idp.origin}/${idp.tenantId}/oauth2/v2.0/token`,
			iss: "app-cert",
			sub: "app-cert",
			nbf: now,
			exp: now + 600,
			jti: randomUUID(),
		},
		createPrivateKey(cert.privateKey),
		alg,
	);
}

describe("client credentials with msal-node", () => {
	it("issues an app token for a client secret, then serves the second call from msal's cache", async () => {
		idp.clearRequests();
		const app = confidentialApp(idp, "app-secret", { clientSecret: SECRET });
		const first = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] });
		const second = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] });
		expect(first?.fromCache).toBe(false);
		expect(second?.fromCache).toBe(true);
		expect(idp.tokenRequests("client_credentials")).toHaveLength(1);
		expect(idp.requests).toHaveLength(1); // no discovery request of any kind
		const claims = idp.verifyAccessToken(first?.accessToken ?? "");
		expect(claims).toMatchObject({
			aud: "https://graph.microsoft.com",
			appid: "app-secret",
			tid: idp.tenantId,
			idtyp: "app",
			roles: ["Mail.Read", "User.Read.All"],
			iss: `https://login.idp.test/${idp.tenantId}/v2.0`,
		});
		expect(claims?.scp).toBeUndefined();
	});

	it("accepts a certificate assertion named by its SHA-1 thumbprint (RS256, x5t)", async () => {
		const app = confidentialApp(idp, "app-cert", {
			clientCertificate: { thumbprint: cert.thumbprintSha1, privateKey: cert.privateKey },
		});
		const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] });
		expect(idp.verifyAccessToken(result?.accessToken ?? "")).toMatchObject({
			appid: "app-cert",
			azpacr: "2",
		});
	});

	it("accepts a certificate assertion named by its SHA-256 thumbprint with x5c (PS256, x5t#S256)", async () => {
		const app = confidentialApp(idp, "app-cert", {
			clientCertificate: {
				thumbprintSha256: cert.thumbprintSha256,
				privateKey: cert.privateKey,
				x5c: cert.certificate,
			},
		});
		const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] });
		expect(idp.verifyAccessToken(result?.accessToken ?? "")?.appid).toBe("app-cert");
	});

	it("refuses a wrong client secret with 401 invalid_client (AADSTS7000215)", async () => {
		const app = confidentialApp(idp, "app-secret", { clientSecret: "wrong" });
		await expect(app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })).rejects.toMatchObject({
			errorCode: "invalid_client",
			errorMessage: expect.stringMatching(/AADSTS7000215: Invalid client secret provided/),
		});
		expect(idp.requests.at(-1)).toMatchObject({
			status: 401,
			error: "invalid_client",
			clientId: "app-secret",
		});
	});

	it("refuses an assertion signed by another key than the registered certificate's (AADSTS700027)", async () => {
		const app = confidentialApp(idp, "app-cert", {
			clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: otherCert.privateKey },
		});
		await expect(app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })).rejects.toMatchObject({
			errorCode: "invalid_client",
			errorMessage: expect.stringMatching(/AADSTS700027: Client assertion failed signature validation/),
		});
	});

	it("refuses an assertion naming an unregistered thumbprint (AADSTS700027)", async () => {
		const app = confidentialApp(idp, "app-cert", {
			clientCertificate: { thumbprintSha256: otherCert.thumbprintSha256, privateKey: otherCert.privateKey },
		});
		await expect(app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })).rejects.toMatchObject({
			errorCode: "invalid_client",
			errorMessage: expect.stringContaining(`is not registered on application`),
		});
	});

	it("requires exactly one <resource>/.default scope (AADSTS1002012)", async () => {
		const app = confidentialApp(idp, "app-secret", { clientSecret: SECRET });
		await expect(app.acquireTokenByClientCredential({ scopes: [GRAPH_USER_READ] })).rejects.toMatchObject({
			errorCode: "invalid_scope",
			errorMessage: expect.stringMatching(/AADSTS1002012: The provided value for scope/),
		});
	});

	it("refuses client credentials to a public client", async () => {
		const { status, body } = await postToken({
			client_id: "public-app",
			grant_type: "client_credentials",
			scope: GRAPH_DEFAULT,
		});
		expect(status).toBe(401);
		expect(body.error).toBe("invalid_client");
		expect(body.error_codes).toEqual([7000218]);
	});

	it("answers an unknown client with unauthorized_client (AADSTS700016)", async () => {
		const { status, body } = await postToken({
			client_id: "nobody",
			client_secret: "x",
			grant_type: "client_credentials",
			scope: GRAPH_DEFAULT,
		});
		expect(status).toBe(400);
		expect(body).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
		expect(typeof body.trace_id).toBe("string");
		expect(typeof body.correlation_id).toBe("string");
		expect(typeof body.timestamp).toBe("string");
	});

	it("returns an injected 429 with Retry-After, which msal-node honours by throttling that app", async () => {
		idp.failNext({ status: 429, retryAfter: 7, grantType: "client_credentials" });
		const app = confidentialApp(idp, "app-secret", { clientSecret: SECRET });
		idp.clearRequests();
		await expect(app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })).rejects.toMatchObject({
			errorCode: "temporarily_unavailable",
		});
		expect(idp.requests).toHaveLength(1);
		expect(idp.requests[0]).toMatchObject({ status: 429, error: "temporarily_unavailable" });
		// msal-node remembers Retry-After: the same app fails again without asking the server.
		await expect(app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })).rejects.toBeTruthy();
		expect(idp.requests).toHaveLength(1);
		// The fault was used up: another app gets a token.
		const fresh = confidentialApp(idp, "app-secret", { clientSecret: SECRET });
		await expect(fresh.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })).resolves.toBeTruthy();
	});

	it("sends Retry-After, suberror and error_codes of an injected fault as given", async () => {
		idp.failNext({ status: 503, retryAfter: 7, suberror: "basic_action", errorCodes: [50196], times: 2 });
		const form = {
			client_id: "app-secret",
			client_secret: SECRET,
			grant_type: "client_credentials",
			scope: GRAPH_DEFAULT,
		};
		for (let attempt = 0; attempt < 2; attempt++) {
			const raw = await postToken(form);
			expect(raw.status).toBe(503);
			expect(raw.headers.get("retry-after")).toBe("7");
			expect(raw.body).toMatchObject({
				error: "temporarily_unavailable",
				suberror: "basic_action",
				error_codes: [50196],
			});
		}
		expect((await postToken(form)).status).toBe(200);
	});
});

describe("client assertion checks (hand-made assertions)", () => {
	const base = { client_id: "app-cert", grant_type: "client_credentials", scope: GRAPH_DEFAULT };
	const type = { client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" };

	it("accepts the https authority-based token endpoint as audience", async () => {
		const aud = `https://login.idp.test/${idp.tenantId}/oauth2/v2.0/token`;
		const { status } = await postToken({ ...base, ...type, client_assertion: assertion({ aud }) });
		expect(status).toBe(200);
	});

	it("refuses another audience (AADSTS700023)", async () => {
		const { status, body } = await postToken({
			...base,
			...type,
			client_assertion: assertion({ aud: "https://elsewhere.test/token" }),
		});
		expect(status).toBe(401);
		expect(body.error_codes).toEqual([700023]);
	});

	it("refuses an expired assertion (AADSTS700024)", async () => {
		const past = Math.floor(Date.now() / 1000) - 3600;
		const { body } = await postToken({
			...base,
			...type,
			client_assertion: assertion({ nbf: past - 600, exp: past }),
		});
		expect(body.error_codes).toEqual([700024]);
	});

	it("refuses iss or sub other than the client id (AADSTS700021)", async () => {
		const { body } = await postToken({
			...base,
			...type,
			client_assertion: assertion({ iss: "someone-else" }),
		});
		expect(body.error_codes).toEqual([700021]);
	});

	it("refuses an x5c chain that is not the registered certificate", async () => {
		const now = Math.floor(Date.now() / 1000);
		const forged = signJwt(
			{ "x5t#S256": Buffer.from(cert.thumbprintSha256, "hex").toString("base64url"), x5c: [otherCert.x5c] },
			{
				aud: `${idp.origin}/${idp.tenantId}/oauth2/v2.0/token`,
				iss: "app-cert",
				sub: "app-cert",
				nbf: now,
				exp: now + 60,
			},
			createPrivateKey(cert.privateKey),
			"PS256",
		);
		const { body } = await postToken({ ...base, ...type, client_assertion: forged });
		expect(body.error_codes).toEqual([700027]);
	});

	it("accepts the two pairs Entra accepts: RS256 with x5t (SHA-1), PS256 with x5t#S256 (SHA-256)", async () => {
		const sha1 = assertionWithHeader({ x5t: headerThumbprint(cert.thumbprintSha1) }, "RS256");
		const sha256 = assertionWithHeader({ "x5t#S256": headerThumbprint(cert.thumbprintSha256) }, "PS256");
		expect((await postToken({ ...base, ...type, client_assertion: sha1 })).status).toBe(200);
		expect((await postToken({ ...base, ...type, client_assertion: sha256 })).status).toBe(200);
	});

	it.each([
		["RS256 with x5t#S256", { "x5t#S256": "sha256" }, "RS256", /x5t#S256.*PS256/],
		["PS256 with x5t", { x5t: "sha1" }, "PS256", /x5t.*RS256/],
	] as const)(
		"refuses an algorithm that does not go with the thumbprint: %s (AADSTS5002730)",
		async (_name, names, alg, says) => {
			const [field, kind] = Object.entries(names)[0] as [string, "sha1" | "sha256"];
			const thumbprint = kind === "sha1" ? cert.thumbprintSha1 : cert.thumbprintSha256;
			const { status, body } = await postToken({
				...base,
				...type,
				client_assertion: assertionWithHeader({ [field]: headerThumbprint(thumbprint) }, alg),
			});
			expect(status).toBe(401);
			expect(body.error).toBe("invalid_client");
			expect(body.error_codes).toEqual([5002730]);
			expect(body.error_description).toMatch(says);
		},
	);

	it.each([
		["x5t", "RS256", () => otherCert.thumbprintSha1],
		["x5t#S256", "PS256", () => otherCert.thumbprintSha256],
		["x5t (a SHA-256 value in the SHA-1 field)", "RS256", () => cert.thumbprintSha256],
	] as const)(
		"refuses a thumbprint of another certificate in %s, even with the registered key (AADSTS700027)",
		async (field, alg, thumbprint) => {
			const name = field.startsWith("x5t#S256") ? "x5t#S256" : "x5t";
			const { status, body } = await postToken({
				...base,
				...type,
				client_assertion: assertionWithHeader({ [name]: headerThumbprint(thumbprint()) }, alg),
			});
			expect(status).toBe(401);
			expect(body.error).toBe("invalid_client");
			expect(body.error_codes).toEqual([700027]);
			expect(body.error_description).toContain(thumbprint().toUpperCase());
			expect(body.error_description).toContain("is not registered on application");
		},
	);

	it("refuses an assertion whose x5t and x5t#S256 name different certificates (AADSTS700027)", async () => {
		const { status, body } = await postToken({
			...base,
			...type,
			client_assertion: assertionWithHeader(
				{
					"x5t#S256": headerThumbprint(cert.thumbprintSha256),
					x5t: headerThumbprint(otherCert.thumbprintSha1),
				},
				"PS256",
			),
		});
		expect(status).toBe(401);
		expect(body.error_codes).toEqual([700027]);
		expect(body.error_description).toContain(otherCert.thumbprintSha1);
	});

	it("refuses an assertion that names no thumbprint, saying which header field is missing (AADSTS700027)", async () => {
		const { status, body } = await postToken({
			...base,
			...type,
			client_assertion: assertionWithHeader({}, "PS256"),
		});
		expect(status).toBe(401);
		expect(body.error_codes).toEqual([700027]);
		expect(body.error_description).toMatch(/x5t#S256/);
	});

	it("refuses an x5c holding another certificate for the registered key (AADSTS700027)", async () => {
		const privateKey = createPrivateKey(cert.privateKey);
		const sameKeyOtherCert = buildSelfSignedCertificate(
			{ privateKey, publicKey: createPublicKey(privateKey) },
			{ subject: "same-key-other-certificate" },
		);
		const { status, body } = await postToken({
			...base,
			...type,
			client_assertion: assertionWithHeader(
				{
					"x5t#S256": headerThumbprint(cert.thumbprintSha256),
					x5c: [sameKeyOtherCert.toString("base64")],
				},
				"PS256",
			),
		});
		expect(status).toBe(401);
		expect(body.error_codes).toEqual([700027]);
		expect(body.error_description).toMatch(/x5c/);
	});

	it.each([
		["starts with another certificate", () => [otherCert.x5c, cert.x5c]],
		["is a string, not an array", () => cert.x5c],
		["is empty", () => []],
		["is not base64 DER", () => ["not a certificate"]],
	])("refuses an x5c chain that %s (AADSTS700027)", async (_name, x5c) => {
		const { status, body } = await postToken({
			...base,
			...type,
			client_assertion: assertionWithHeader(
				{ "x5t#S256": headerThumbprint(cert.thumbprintSha256), x5c: x5c() },
				"PS256",
			),
		});
		expect(status).toBe(401);
		expect(body.error_codes).toEqual([700027]);
		expect(body.error_description).toMatch(/x5c/);
	});

	it("accepts an x5c chain that starts with the registered certificate, followed by others", async () => {
		const { status } = await postToken({
			...base,
			...type,
			client_assertion: assertionWithHeader(
				{ "x5t#S256": headerThumbprint(cert.thumbprintSha256), x5c: [cert.x5c, otherCert.x5c] },
				"PS256",
			),
		});
		expect(status).toBe(200);
	});

	it("refuses a replayed jti when rejectAssertionReplay is on", async () => {
		idp.settings.rejectAssertionReplay = true;
		try {
			const once = assertion({});
			expect((await postToken({ ...base, ...type, client_assertion: once })).status).toBe(200);
			expect((await postToken({ ...base, ...type, client_assertion: once })).status).toBe(401);
		} finally {
			idp.settings.rejectAssertionReplay = false;
		}
	});

	it("accepts a bare public key registered with a made-up thumbprint", async () => {
		const thumbprintSha256 = "AA".repeat(32);
		idp.addClient({
			clientId: "app-key",
			certificates: [
				{
					publicKey: createPublicKey(cert.privateKey).export({ type: "spki", format: "pem" }).toString(),
					thumbprintSha256,
				},
			],
		});
		const app = confidentialApp(idp, "app-key", {
			clientCertificate: { thumbprintSha256, privateKey: cert.privateKey },
		});
		await expect(app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })).resolves.toBeTruthy();
	});
});
