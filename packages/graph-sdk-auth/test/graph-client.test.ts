import { AuthenticationHandlerOptions, Client, GraphError } from "@microsoft/microsoft-graph-client";
import type { Account } from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { GraphClientAuthProvider } from "../src/graph-client.js";
import { useFakeGraphs } from "./helpers.js";

const { platform, graph, daemon, signedInUser } = useFakeGraphs();

/** graph-client v3 pointed at the https fake Graph; 127.0.0.1 is a custom host, else it sends no token. */
function graphClient(account: Account, customHosts = true) {
	return Client.initWithMiddleware({
		authProvider: new GraphClientAuthProvider(account),
		baseUrl: `${graph().origin}/`,
		defaultVersion: "v1.0",
		...(customHosts ? { customHosts: new Set(["127.0.0.1"]) } : {}),
	});
}

describe("GraphClientAuthProvider with @microsoft/microsoft-graph-client v3", () => {
	beforeEach(() => {
		graph().clearRequests();
		platform().clearRequests();
	});

	it("lets the real client call Graph with the account's token, without asking the identity platform again", async () => {
		const account = await daemon();
		platform().clearRequests();
		const client = graphClient(account);
		const users = (await client.api("/users").get()) as { value: { userPrincipalName: string }[] };
		expect(users.value).toHaveLength(3);
		await client.api("/users").get();
		expect(graph().requests.map((request) => request.status)).toEqual([200, 200]);
		expect(platform().tokenRequests()).toHaveLength(0);
		const token = await new GraphClientAuthProvider(account).getAccessToken();
		expect(token).toBe(await account.con.getAccessToken());
	});

	it("serves a signed-in user's /me, with the permissions they consented to and not others", async () => {
		const account = await signedInUser();
		const client = graphClient(account);
		const me = (await client.api("/me").get()) as { userPrincipalName: string };
		expect(me.userPrincipalName).toBe("adele@contoso.test");
		const consented = new AuthenticationHandlerOptions(undefined, { scopes: ["User.Read"] });
		expect((await client.api("/me").middlewareOptions([consented]).get()).userPrincipalName).toBe(
			"adele@contoso.test",
		);
		const notConsented = new AuthenticationHandlerOptions(undefined, { scopes: ["Mail.Send"] });
		await expect(client.api("/me").middlewareOptions([notConsented]).get()).rejects.toThrow(
			/was not granted/,
		);
		expect(graph().requests).toHaveLength(2);
	});

	it("honours a request's scopes: the account's resource is served, another resource is refused", async () => {
		const account = await daemon();
		const client = graphClient(account);
		const graphScopes = new AuthenticationHandlerOptions(undefined, {
			scopes: ["https://graph.microsoft.com/.default"],
		});
		expect((await client.api("/users").middlewareOptions([graphScopes]).get()).value).toHaveLength(3);
		const storageScopes = new AuthenticationHandlerOptions(undefined, {
			scopes: ["https://storage.azure.com/.default"],
		});
		// graph-client wraps what the provider throws in its GraphError, keeping the message.
		await expect(client.api("/users").middlewareOptions([storageScopes]).get()).rejects.toThrow(
			/scope 'https:\/\/storage\.azure\.com\/\.default' is for another resource/,
		);
		expect(graph().requests).toHaveLength(1);
	});

	it("gets no token from graph-client for a host that is neither a Graph host nor a custom host", async () => {
		const account = await daemon();
		const error = await graphClient(account, false)
			.api("/users")
			.get()
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(GraphError);
		expect((error as GraphError).statusCode).toBe(401);
		expect(graph().requests[0]?.headers.authorization).toBeUndefined();
	});

	it("refuses something that is not an Account, and scopes that are not strings", async () => {
		const account = await daemon();
		expect(
			() => new GraphClientAuthProvider(account, { scopes: "User.Read" as unknown as string[] }),
		).toThrow(expect.objectContaining({ code: "invalid_scopes" }));
		await expect(
			new GraphClientAuthProvider(account).getAccessToken({ scopes: [42 as unknown as string] }),
		).rejects.toMatchObject({ code: "invalid_scopes" });
		expect(() => new GraphClientAuthProvider({} as Account)).toThrow(/needs an @o365\/core Account/);
		expect(() => new GraphClientAuthProvider(null as unknown as Account)).toThrow(
			/needs an @o365\/core Account/,
		);
	});
});
