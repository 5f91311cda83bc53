import { Agent } from "node:https";
import type { TokenCredential as AzureTokenCredential } from "@azure/core-auth";
import {
	bearerTokenAuthenticationPolicy,
	createDefaultHttpClient,
	createEmptyPipeline,
	createPipelineRequest,
} from "@azure/core-rest-pipeline";
import { type Account, ConfigurationError, O365Error } from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { useFakeGraph } from "./helpers/fake-graph.js";

// tls: bearerTokenAuthenticationPolicy refuses to send a bearer over http.
const { platform, graph, daemon, signedInUser, rememberToken } = useFakeGraph({ tls: true });
const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';

/** A real Azure SDK pipeline with the bearer policy over `credential`, trusting the fake Graph's certificate. */
function azurePipeline(credential: AzureTokenCredential) {
	const pipeline = createEmptyPipeline();
	pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: GRAPH_SCOPE }));
	const client = createDefaultHttpClient();
	const agent = new Agent({ ca: graph().certificate });
	return (path: string) => {
		const request = createPipelineRequest({ url: `${graph().serviceUrl}${path}` });
		request.agent = agent;
		return pipeline.sendRequest(client, request);
	};
}

describe("account.asTokenCredential() in an Azure SDK pipeline", () => {
	beforeEach(() => {
		graph().clearRequests();
		platform().clearRequests();
	});

	it("sends the account's stored token through bearerTokenAuthenticationPolicy to https Graph", async () => {
		const account = await signedInUser();
		await rememberToken(account);
		platform().clearRequests();
		const send = azurePipeline(account.asTokenCredential());
		const response = await send("me");
		expect(response.status).toBe(200);
		expect(JSON.parse(response.bodyAsText ?? "{}")).toMatchObject({
			userPrincipalName: "adele@contoso.test",
		});
		// The token the sign-in stored: no request to the identity platform.
		expect(platform().tokenRequests()).toHaveLength(0);
		expect((await send("me")).status).toBe(200);
		expect(graph().requests.map((request) => request.status)).toEqual([200, 200]);
	});

	it("answers a claims challenge: the policy passes the claims, the account refreshes with them, the retry succeeds", async () => {
		const account = await signedInUser();
		const before = await account.con.getAccessToken();
		platform().clearRequests();
		const send = azurePipeline(account.asTokenCredential());
		graph().failNext({ claimsChallenge: CLAIMS, path: "/me" });
		const response = await send("me");
		expect(response.status).toBe(200);
		expect(graph().requests.map((request) => request.status)).toEqual([401, 200]);
		const grants = platform().tokenRequests("refresh_token");
		expect(grants).toHaveLength(1);
		expect(JSON.parse(grants[0]?.form.claims ?? "{}")).toMatchObject(JSON.parse(CLAIMS));
		const after = await account.con.getAccessToken();
		expect(after).not.toBe(before);
		await rememberToken(account);
	});
});

describe("account.asTokenCredential() for a signed-in user", () => {
	it("serves the permissions the user consented to and refuses others, sending nothing", async () => {
		const account = await signedInUser();
		platform().clearRequests();
		const credential = account.asTokenCredential();
		const expected = await account.con.getAccessToken();
		for (const scopes of ["User.Read", ["https://graph.microsoft.com/User.Read", "openid"], GRAPH_SCOPE]) {
			expect((await credential.getToken(scopes))?.token).toBe(expected);
		}
		const error = await credential
			.getToken(["User.Read", "https://graph.microsoft.com/Mail.Send"])
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ConfigurationError);
		expect(error).toMatchObject({ code: "invalid_scopes" });
		expect((error as Error).message).toContain("'https://graph.microsoft.com/Mail.Send' was not granted");
		expect(platform().tokenRequests()).toHaveLength(0);
	});
});

describe("account.asTokenCredential().getToken", () => {
	let account: Account;
	beforeEach(async () => {
		account = daemon();
		await account.authenticate();
		platform().clearRequests();
	});

	it("resolves the TokenCredential shape: the token, its expiry and when to refresh, in epoch ms", async () => {
		const credential: AzureTokenCredential = account.asTokenCredential();
		const token = await credential.getToken(GRAPH_SCOPE, { enableCae: true });
		expect(token?.tokenType).toBe("Bearer");
		expect(token?.token).toBe(await account.con.getAccessToken());
		const claims = platform().verifyAccessToken(token?.token ?? "");
		// msal-node counts expiry from expires_in on its own clock: within a second of the token's exp.
		expect(Math.abs((token?.expiresOnTimestamp ?? 0) - (claims?.exp ?? 0) * 1000)).toBeLessThanOrEqual(1000);
		expect(token?.refreshAfterTimestamp).toBe((token?.expiresOnTimestamp ?? 0) - 301_000);
		expect(token?.refreshAfterTimestamp).toBeGreaterThan(Date.now());
		expect(platform().tokenRequests()).toHaveLength(0);
	});

	it("serves the resource's scopes, bare permissions and OpenID scopes from the account's token", async () => {
		const credential = account.asTokenCredential();
		const expected = await account.con.getAccessToken();
		for (const scopes of [
			GRAPH_SCOPE,
			[GRAPH_SCOPE],
			"https://graph.microsoft.com/User.Read",
			["openid", "offline_access", "https://graph.microsoft.com/.default"],
			"https://graph.microsoft.com",
			"User.Read",
		]) {
			expect((await credential.getToken(scopes))?.token).toBe(expected);
		}
	});

	it("refuses scopes of another resource, and no scopes, with invalid_scopes", async () => {
		const credential = account.asTokenCredential();
		for (const scopes of ["https://storage.azure.com/.default", ["https://vault.azure.net/.default"], []]) {
			const error = await credential.getToken(scopes).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(ConfigurationError);
			expect(error).toMatchObject({ code: "invalid_scopes" });
		}
		await expect(credential.getToken("https://graph.microsoft.com.evil.test/.default")).rejects.toMatchObject(
			{
				code: "invalid_scopes",
				message: expect.stringContaining("https://graph.microsoft.com/"),
			},
		);
	});

	it("accepts its own tenant and refuses another one, saying why", async () => {
		const credential = account.asTokenCredential();
		const own = platform().tenantId;
		expect((await credential.getToken(GRAPH_SCOPE, { tenantId: own.toUpperCase() }))?.token).toBeTruthy();
		const error = await credential
			.getToken(GRAPH_SCOPE, { tenantId: "other-tenant-id" })
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ConfigurationError);
		expect(error).toMatchObject({ code: "invalid_option" });
		expect((error as Error).message).toContain("other-tenant-id");
		expect((error as Error).message).toContain(own);
		expect(platform().tokenRequests()).toHaveLength(0);
	});

	it("takes claims as JSON or base64, and one request carries them however many callers ask at once", async () => {
		const credential = account.asTokenCredential();
		const base64 = Buffer.from(CLAIMS).toString("base64");
		const results = await Promise.all([
			credential.getToken(GRAPH_SCOPE, { claims: CLAIMS }),
			credential.getToken(GRAPH_SCOPE, { claims: CLAIMS }),
			credential.getToken(GRAPH_SCOPE, { claims: base64 }),
		]);
		const grants = platform().tokenRequests("client_credentials");
		expect(grants).toHaveLength(1);
		expect(JSON.parse(grants[0]?.form.claims ?? "{}")).toMatchObject(JSON.parse(CLAIMS));
		expect(new Set(results.map((result) => result?.token)).size).toBe(1);
		expect(results[0]?.token).toBe(await account.con.getAccessToken());
		await rememberToken(account);
	});

	it("refuses claims that are neither JSON nor base64 JSON, and proof-of-possession, sending nothing", async () => {
		const credential = account.asTokenCredential();
		await expect(credential.getToken(GRAPH_SCOPE, { claims: "not claims" })).rejects.toMatchObject({
			code: "invalid_option",
		});
		await expect(
			credential.getToken(GRAPH_SCOPE, {
				proofOfPossessionOptions: {
					nonce: "n",
					resourceRequestMethod: "GET",
					resourceRequestUrl: "https://x",
				},
			}),
		).rejects.toMatchObject({ code: "invalid_option" });
		expect(platform().tokenRequests()).toHaveLength(0);
	});

	it("rejects with `aborted` for an aborted signal and sends nothing", async () => {
		const credential = account.asTokenCredential();
		const controller = new AbortController();
		controller.abort();
		const error = await credential
			.getToken(GRAPH_SCOPE, { abortSignal: controller.signal, claims: CLAIMS })
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(O365Error);
		expect(error).toMatchObject({ code: "aborted" });
		expect(platform().tokenRequests()).toHaveLength(0);
	});
});
