import { generateKeyPairSync } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
	type FakeGraph,
	type FakeIdentityPlatform,
	type FakeUser,
	startFakeGraph,
	startFakeIdentityPlatform,
} from "../src/index.js";
import { decodeJwt, signJwt } from "../src/jwt.js";
import { publicApp, signInPublicClient } from "./helpers.js";

const SECRET = "daemon-secret-value";

let idp: FakeIdentityPlatform;
let graph: FakeGraph;
let adele: FakeUser;
let appToken: string;
const issued: string[] = [];

async function clientCredentialsToken(scope = "https://graph.microsoft.com/.default"): Promise<string> {
	const response = await fetch(`${idp.origin}/${idp.tenantId}/oauth2/v2.0/token`, {
		method: "POST",
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams({
			grant_type: "client_credentials",
			client_id: "daemon",
			client_secret: SECRET,
			scope,
		}),
	});
	const body = (await response.json()) as { access_token?: string };
	if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
	issued.push(body.access_token);
	return body.access_token;
}

async function get(path: string, token?: string, headers: Record<string, string> = {}) {
	const response = await fetch(new URL(path, graph.serviceUrl), {
		headers: { ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}), ...headers },
	});
	return { response, body: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
	idp = await startFakeIdentityPlatform({
		clients: [
			{ clientId: "daemon", clientSecret: SECRET, appRoles: ["User.Read.All"] },
			{ clientId: "native", redirectUris: ["http://localhost"] },
		],
		users: [{ username: "adele@contoso.test", name: "Adele Vance" }, { username: "megan@contoso.test" }],
	});
	adele = idp.users[0] as FakeUser;
	graph = await startFakeGraph({ identityPlatform: idp });
	appToken = await clientCredentialsToken();
});

afterEach(() => {
	idp.settings.accessTokenLifetime = 3600;
});

afterAll(async () => {
	const log = JSON.stringify(graph.requests);
	for (const token of issued) expect(log.includes(token), "a token appears in graph.requests").toBe(false);
	await graph.close();
	await idp.close();
});

describe("fake Graph: bearer tokens", () => {
	it("answers 401 'Access token is empty.' without an Authorization header, Graph-shaped", async () => {
		const { response, body } = await get("me", undefined, { "client-request-id": "my-correlation-id" });
		expect(response.status).toBe(401);
		expect(response.headers.get("www-authenticate")).toMatch(
			/^Bearer realm="", authorization_uri="https:\/\//,
		);
		expect(body.error).toMatchObject({
			code: "InvalidAuthenticationToken",
			message: "Access token is empty.",
			innerError: {
				"request-id": response.headers.get("request-id"),
				"client-request-id": "my-correlation-id",
			},
		});
		expect(body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
		expect(response.headers.get("client-request-id")).toBe("my-correlation-id");
	});

	it("treats an empty bearer as no token", async () => {
		const { response, body } = await get("me", "");
		expect(response.status).toBe(401);
		expect(body.error.message).toBe("Access token is empty.");
	});

	it("refuses a garbage bearer with a validation failure", async () => {
		const { response, body } = await get("me", "not-a-jwt");
		expect(response.status).toBe(401);
		expect(body.error.code).toBe("InvalidAuthenticationToken");
		expect(body.error.message).toContain("validation failed");
	});

	it("refuses a token with valid claims signed by another key", async () => {
		const decoded = decodeJwt(appToken);
		if (!decoded) throw new Error("app token is not a JWT");
		const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
		const forged = signJwt(decoded.header, decoded.payload, privateKey);
		const { response, body } = await get("users", forged);
		expect(response.status).toBe(401);
		expect(body.error.message).toContain("validation failed");
	});

	it("refuses an expired token with 'Lifetime validation failed'", async () => {
		idp.settings.accessTokenLifetime = 0;
		const expired = await clientCredentialsToken();
		const { response, body } = await get("users", expired);
		expect(response.status).toBe(401);
		expect(body.error).toMatchObject({
			code: "InvalidAuthenticationToken",
			message: "Lifetime validation failed, the token is expired.",
		});
	});

	it("refuses a token issued for another resource (invalid audience)", async () => {
		const otherResource = await clientCredentialsToken("api://other-api/.default");
		const { response, body } = await get("users", otherResource);
		expect(response.status).toBe(401);
		expect(body.error.message).toContain("Invalid audience");
	});
});

describe("fake Graph: /me", () => {
	it("returns the signed-in user of a delegated token (auth-code sign-in), on v1.0 and beta", async () => {
		const { accessToken } = await signInPublicClient(idp, publicApp(idp, "native"));
		issued.push(accessToken);
		const { response, body } = await get("me", accessToken);
		expect(response.status).toBe(200);
		expect(body).toEqual({
			"@odata.context": `${graph.origin}/v1.0/$metadata#users/$entity`,
			id: adele.oid,
			displayName: "Adele Vance",
			userPrincipalName: "adele@contoso.test",
			mail: "adele@contoso.test",
		});
		const beta = await get(`${graph.origin}/beta/me?$select=id`, accessToken);
		expect(beta.body).toEqual({
			"@odata.context": `${graph.origin}/beta/$metadata#users/$entity`,
			id: adele.oid,
		});
	});

	it("answers 400 to /me with an app-only token, as Graph does", async () => {
		const { response, body } = await get("me", appToken);
		expect(response.status).toBe(400);
		expect(body.error).toMatchObject({
			code: "BadRequest",
			message: "/me request is only valid with delegated authentication flow.",
		});
	});

	it("serves /users to an app-only token", async () => {
		const { response, body } = await get(`users/${adele.oid}`, appToken);
		expect(response.status).toBe(200);
		expect(body).toMatchObject({ id: adele.oid, userPrincipalName: "adele@contoso.test" });
	});
});

describe("fake Graph without an identity platform", () => {
	it("accepts any non-empty bearer, still refuses none, and serves 5 generated users", async () => {
		const open = await startFakeGraph();
		try {
			const me = await fetch(`${open.serviceUrl}me`, { headers: { Authorization: "Bearer anything" } });
			expect(me.status).toBe(200);
			expect(await me.json()).toMatchObject({
				userPrincipalName: "user1@contoso.test",
				displayName: "User 1",
			});
			const users = await fetch(`${open.serviceUrl}users`, { headers: { Authorization: "Bearer anything" } });
			expect(((await users.json()) as { value: unknown[] }).value).toHaveLength(5);
			expect(open.users).toHaveLength(5);
			const none = await fetch(`${open.serviceUrl}users`);
			expect(none.status).toBe(401);
		} finally {
			await open.close();
		}
	});
});

describe("fake Graph: request log", () => {
	it("records method, path, query, lower-cased headers with the bearer redacted, raw body, status and ids", async () => {
		graph.clearRequests();
		const started = Date.now();
		const response = await fetch(`${graph.serviceUrl}echo?x=1&$top=2`, {
			method: "POST",
			headers: { Authorization: `Bearer ${appToken}`, "Content-Type": "text/plain", "X-Custom": "Yes" },
			body: "raw body ✓",
		});
		expect(response.status).toBe(200);
		expect(graph.requests).toHaveLength(1);
		const [entry] = graph.requests;
		expect(entry).toMatchObject({
			method: "POST",
			path: "/v1.0/echo",
			query: { x: "1", $top: "2" },
			body: "raw body ✓",
			status: 200,
			requestId: response.headers.get("request-id"),
		});
		expect(entry?.headers).toMatchObject({
			authorization: "Bearer [redacted]",
			"content-type": "text/plain",
			"x-custom": "Yes",
		});
		expect(entry?.at).toBeGreaterThanOrEqual(started);
		expect(entry?.batchStepOf).toBeUndefined();
		expect(JSON.stringify(graph.requests)).not.toContain(appToken);
		graph.clearRequests();
		expect(graph.requests).toHaveLength(0);
	});
});
