import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ManagedIdentityCredential } from "@azure/identity";
import {
	type AccessToken,
	Account,
	AuthenticationError,
	ConfigurationError,
	type GetTokenOptions,
	MSGraphProtocol,
	type TokenCredential,
} from "@o365/core";
import { type FakeGraph, startFakeGraph } from "@o365/testkit";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { until } from "./helpers/fake-graph.js";
import { DAEMON, useFakePlatform } from "./helpers/fake-platform.js";

const platform = useFakePlatform();
let graph: FakeGraph;
beforeAll(async () => {
	graph = await startFakeGraph({ identityPlatform: platform(), users: 3 });
});
afterAll(async () => {
	await graph.close();
});
beforeEach(() => {
	graph.clearRequests();
	platform().clearRequests();
});

/** An app token from the fake identity platform, over HTTP, as a managed identity endpoint would get one. */
async function appToken(claims?: string): Promise<{ token: string; expiresIn: number }> {
	const { token_endpoint } = JSON.parse(platform().msalConfig().authorityMetadata) as {
		token_endpoint: string;
	};
	const response = await fetch(token_endpoint, {
		method: "POST",
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams({
			grant_type: "client_credentials",
			client_id: DAEMON.clientId,
			client_secret: DAEMON.clientSecret,
			scope: "https://graph.microsoft.com/.default",
			...(claims === undefined ? {} : { claims }),
		}),
	});
	const body = (await response.json()) as { access_token: string; expires_in: number };
	return { token: body.access_token, expiresIn: body.expires_in };
}

/** A TokenCredential written here: each getToken call is recorded and gets a fresh token from the fake platform. */
class TestCredential implements TokenCredential {
	readonly calls: { scopes: string | string[]; options: GetTokenOptions | undefined }[] = [];
	/** Overrides the answer (epoch ms times) for the next calls. */
	answer: ((token: string) => AccessToken | null) | undefined;

	async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
		this.calls.push({ scopes, options });
		const { token, expiresIn } = await appToken(options?.claims);
		return this.answer ? this.answer(token) : { token, expiresOnTimestamp: Date.now() + expiresIn * 1000 };
	}
}

function accountWith(credential: TokenCredential, tenantId?: string) {
	return new Account(credential, {
		protocol: new MSGraphProtocol({ protocolUrl: `${graph.origin}/` }),
		retryBackoffMs: 10,
		...(tenantId === undefined ? {} : { tenantId }),
	});
}

describe("new Account(tokenCredential)", () => {
	it("calls Graph through the request layer with the credential's token: one getToken, no MSAL, no secret", async () => {
		const credential = new TestCredential();
		const account = accountWith(credential);
		expect(account.con.authFlowType).toBe("credentials");
		expect(account.mainResource).toBe("");
		const responses = await Promise.all([
			account.con.get("/users"),
			account.con.get("/users"),
			account.con.oauthRequest("/users", "GET"),
		]);
		expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
		const body = (await responses[0]?.json()) as { value: unknown[] } | undefined;
		expect(body?.value).toHaveLength(3);
		expect((await account.con.get("/users")).status).toBe(200);
		// One call however many requests; the scope is the protocol's .default.
		expect(credential.calls).toHaveLength(1);
		expect(credential.calls[0]?.scopes).toEqual(["https://graph.microsoft.com/.default"]);
		// Only the credential's own token request reached the identity platform.
		expect(platform().tokenRequests()).toHaveLength(1);
		expect(graph.requests.every((request) => request.status === 200)).toBe(true);
	});

	it("asks the credential again once its refreshAfterTimestamp has passed", async () => {
		const credential = new TestCredential();
		let refreshAfter = 0;
		credential.answer = (token) => {
			refreshAfter = Date.now() + 1000;
			return { token, expiresOnTimestamp: Date.now() + 3_600_000, refreshAfterTimestamp: refreshAfter };
		};
		const account = accountWith(credential);
		await account.con.get("/users");
		await account.con.get("/users");
		expect(credential.calls).toHaveLength(1);
		await until(() => Date.now() > refreshAfter);
		await account.con.get("/users");
		expect(credential.calls).toHaveLength(2);
	});

	it("keeps a token until shortly before it expires, not past it", async () => {
		const credential = new TestCredential();
		credential.answer = (token) => ({ token, expiresOnTimestamp: Date.now() + 200 });
		const account = accountWith(credential);
		const first = await account.con.getAccessTokenInfo();
		expect(first.renewAt).toBeLessThan(first.expiresAt);
		expect(await account.con.getAccessToken()).toBe(first.token);
		expect(credential.calls).toHaveLength(1);
		await until(() => Date.now() >= first.renewAt);
		await account.con.getAccessToken();
		expect(credential.calls).toHaveLength(2);
	});

	it("after a 401 asks the credential for a new token and retries once", async () => {
		const credential = new TestCredential();
		const account = accountWith(credential);
		await account.con.get("/users");
		graph.failNext({ status: 401, code: "InvalidAuthenticationToken", path: "/users" });
		const response = await account.con.get("/users");
		expect(response.status).toBe(200);
		expect(credential.calls).toHaveLength(2);
		expect(graph.requests.map((request) => request.status)).toEqual([200, 401, 200]);
	});

	it("passes a claims challenge's JSON to getToken", async () => {
		const credential = new TestCredential();
		const account = accountWith(credential);
		await account.con.get("/users");
		const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
		graph.failNext({ claimsChallenge: claims, path: "/users" });
		expect((await account.con.get("/users")).status).toBe(200);
		expect(credential.calls).toHaveLength(2);
		expect(credential.calls[1]?.options?.claims).toBe(claims);
		expect(JSON.parse(platform().tokenRequests().at(-1)?.form.claims ?? "{}")).toMatchObject(
			JSON.parse(claims),
		);
	});

	it("passes the account's tenantId on, and authenticate()/isAuthenticated() use the credential", async () => {
		const credential = new TestCredential();
		const account = accountWith(credential, platform().tenantId);
		expect(await account.isAuthenticated()).toBe(false);
		expect(await account.authenticate()).toBe(true);
		expect(await account.isAuthenticated()).toBe(true);
		expect(credential.calls[0]?.options?.tenantId).toBe(platform().tenantId);
		await expect(account.getAuthorizationUrl(["basic"])).rejects.toBeInstanceOf(ConfigurationError);
	});

	it("rejects with a typed error when getToken returns null, a malformed or expired token, or throws", async () => {
		const credential = new TestCredential();
		const account = accountWith(credential);
		const cases: [string, (token: string) => AccessToken | null][] = [
			["returned null", () => null],
			["no usable token", () => ({ token: "", expiresOnTimestamp: Date.now() + 3_600_000 })],
			["no usable token", (token) => ({ token, expiresOnTimestamp: "soon" as unknown as number })],
			["expired already", (token) => ({ token, expiresOnTimestamp: Date.now() - 1000 })],
		];
		for (const [message, answer] of cases) {
			credential.answer = answer;
			const error = await account.con.get("/users").catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(AuthenticationError);
			expect(error).toMatchObject({ code: "token_request_failed" });
			expect((error as Error).message).toContain(message);
		}
		const leaked = (await appToken()).token;
		const failing: TokenCredential = {
			getToken: () => Promise.reject(new Error(`endpoint unreachable; last token ${leaked}`)),
		};
		const error = await accountWith(failing)
			.con.getAccessToken()
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(AuthenticationError);
		expect(error).toMatchObject({ code: "token_request_failed" });
		expect((error as Error).message).toContain("endpoint unreachable");
		expect((error as Error).message).not.toContain(leaked);
		expect(graph.requests).toHaveLength(0);
	});
});

describe("new Account(new ManagedIdentityCredential()) against a local App Service identity endpoint", () => {
	const IDENTITY_HEADER = "local-identity-header-value";
	const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
	const seen: { resource: string | null; apiVersion: string | null; header: string | undefined }[] = [];
	let endpoint: Server;

	beforeAll(async () => {
		// The App Service managed identity protocol (api-version 2019-08-01): GET with the resource,
		// the X-IDENTITY-HEADER secret; the token comes from the fake identity platform.
		endpoint = createServer((req, res) => {
			const url = new URL(req.url ?? "/", "http://127.0.0.1");
			const header = req.headers["x-identity-header"];
			seen.push({
				resource: url.searchParams.get("resource"),
				apiVersion: url.searchParams.get("api-version"),
				header: typeof header === "string" ? header : undefined,
			});
			if (header !== IDENTITY_HEADER) {
				res.writeHead(401, { "Content-Type": "application/json" }).end('{"error":"bad header"}');
				return;
			}
			appToken().then(
				({ token, expiresIn }) => {
					res.writeHead(200, { "Content-Type": "application/json" });
					res.end(
						JSON.stringify({
							access_token: token,
							expires_on: String(Math.floor(Date.now() / 1000) + expiresIn),
							resource: url.searchParams.get("resource"),
							token_type: "Bearer",
						}),
					);
				},
				() => res.writeHead(500).end(),
			);
		});
		await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
		process.env.IDENTITY_ENDPOINT = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/msi/token`;
		process.env.IDENTITY_HEADER = IDENTITY_HEADER;
	});
	afterEach(() => {
		seen.length = 0;
	});
	afterAll(async () => {
		for (const [name, value] of [
			["IDENTITY_ENDPOINT", saved.endpoint],
			["IDENTITY_HEADER", saved.header],
		] as const) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
		await new Promise<void>((resolve) => endpoint.close(() => resolve()));
	});

	it("gets Graph tokens from the managed identity endpoint and calls Graph with them", async () => {
		const account = accountWith(new ManagedIdentityCredential());
		const [first, second] = await Promise.all([account.con.get("/users"), account.con.get("/users")]);
		expect(first?.status).toBe(200);
		expect(second?.status).toBe(200);
		expect(seen).toEqual([
			{ resource: "https://graph.microsoft.com", apiVersion: "2019-08-01", header: IDENTITY_HEADER },
		]);
		const token = await account.con.getAccessToken();
		expect(platform().verifyAccessToken(token)?.appid).toBe(DAEMON.clientId);
		expect(seen).toHaveLength(1);
	});
});
