import { HttpMethod, RequestInformation } from "@microsoft/kiota-abstractions";
import { createGraphServiceClient, GraphRequestAdapter } from "@microsoft/msgraph-sdk";
import "@microsoft/msgraph-sdk-users";
import { FetchRequestAdapter } from "@microsoft/kiota-http-fetchlibrary";
import { Account, ConfigurationError } from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { KiotaAccessTokenProvider, kiotaAuthenticationProvider } from "../src/kiota.js";
import { CLAIMS, useFakeGraphs } from "./helpers.js";

const { platform, graph, daemon, signedInUser } = useFakeGraphs();

/** `@microsoft/msgraph-sdk` with its baseUrl set to the fake (it defaults to graph.microsoft.com). */
function graphServiceClient(account: Account, allowedHosts?: string[]) {
	const adapter = new GraphRequestAdapter(
		kiotaAuthenticationProvider(account, allowedHosts === undefined ? undefined : { allowedHosts }),
	);
	adapter.baseUrl = `${graph().origin}/v1.0`;
	return createGraphServiceClient(adapter);
}

const fakeHost = () => new URL(graph().origin).hostname;

describe("KiotaAccessTokenProvider with @microsoft/msgraph-sdk and Kiota's fetch adapter", () => {
	beforeEach(() => {
		graph().clearRequests();
		platform().clearRequests();
	});

	it("lets msgraph-sdk list users and read /me with the account's token", async () => {
		const app = await daemon();
		const users = await graphServiceClient(app, [fakeHost()]).users.get();
		expect(users?.value).toHaveLength(3);
		const user = await signedInUser();
		const me = await graphServiceClient(user, [fakeHost()]).me.get();
		expect(me?.userPrincipalName).toBe("adele@contoso.test");
		expect(graph().requests.map((request) => request.status)).toEqual([200, 200]);
	});

	it("allows only the Graph host of the account's cloud by default, so the token never reaches another host", async () => {
		const app = await daemon();
		const provider = new KiotaAccessTokenProvider(app);
		expect(provider.getAllowedHostsValidator().getAllowedHosts()).toEqual(["graph.microsoft.com"]);
		const china = new Account("public-client-id", { authFlowType: "public", cloud: "china" });
		expect(new KiotaAccessTokenProvider(china).getAllowedHostsValidator().getAllowedHosts()).toEqual([
			"microsoftgraph.chinacloudapi.cn",
		]);
		platform().clearRequests();
		expect(await provider.getAuthorizationToken(`${graph().serviceUrl}users`)).toBe("");
		expect(await provider.getAuthorizationToken("https://graph.microsoft.com/v1.0/me")).toBe(
			await app.con.getAccessToken(),
		);
		await expect(graphServiceClient(app).users.get()).rejects.toMatchObject({ responseStatusCode: 401 });
		expect(graph().requests[0]?.headers.authorization).toBeUndefined();
		expect(platform().tokenRequests()).toHaveLength(0);
	});

	it("refuses to hand a token for http (but localhost), and bad allowedHosts", async () => {
		const app = await daemon();
		const provider = new KiotaAccessTokenProvider(app, {
			allowedHosts: ["graph.microsoft.com", "localhost"],
		});
		await expect(provider.getAuthorizationToken("http://graph.microsoft.com/v1.0/me")).rejects.toBeInstanceOf(
			ConfigurationError,
		);
		expect(await provider.getAuthorizationToken("http://localhost:8080/v1.0/me")).toBe(
			await app.con.getAccessToken(),
		);
		for (const host of ["https://graph.microsoft.com/", "graph.microsoft.com:443", ""]) {
			expect(() => new KiotaAccessTokenProvider(app, { allowedHosts: [host] })).toThrow(ConfigurationError);
		}
	});

	it("answers a claims challenge through Kiota's retry: one new token carrying the claims", async () => {
		const app = await daemon();
		const before = await app.con.getAccessToken();
		platform().clearRequests();
		const adapter = new FetchRequestAdapter(kiotaAuthenticationProvider(app, { allowedHosts: [fakeHost()] }));
		graph().failNext({ claimsChallenge: CLAIMS, path: "/users" });
		const request = new RequestInformation();
		request.httpMethod = HttpMethod.GET;
		request.urlTemplate = `${graph().serviceUrl}users`;
		const body = await adapter.sendPrimitive<ArrayBuffer>(request, "ArrayBuffer", undefined);
		expect(
			(JSON.parse(Buffer.from(body ?? new ArrayBuffer(0)).toString()) as { value: unknown[] }).value,
		).toHaveLength(3);
		expect(graph().requests.map((recorded) => recorded.status)).toEqual([401, 200]);
		const grants = platform().tokenRequests("client_credentials");
		expect(grants).toHaveLength(1);
		expect(JSON.parse(grants[0]?.form.claims ?? "{}")).toMatchObject(JSON.parse(CLAIMS));
		expect(await app.con.getAccessToken()).not.toBe(before);
	});
});
