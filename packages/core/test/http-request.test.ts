import { Readable } from "node:stream";
import { GraphError, O365Error } from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { useFakeGraph } from "./helpers/fake-graph.js";

const { platform, graph, daemon, signedInUser, rememberToken } = useFakeGraph();

interface Echo {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: string;
	contentType: string | null;
}

async function echo(response: Response): Promise<Echo> {
	expect(response.status).toBe(200);
	return (await response.json()) as Echo;
}

describe("Connection requests against the fake Graph", () => {
	beforeEach(() => {
		graph().clearRequests();
		platform().clearRequests();
	});

	it("GETs /me for a signed-in user with the bearer, a client-request-id and the SDK's User-Agent", async () => {
		const account = await signedInUser();
		await rememberToken(account);
		const response = await account.con.get("/me");
		expect(await response.json()).toMatchObject({ userPrincipalName: "adele@contoso.test" });
		const [seen] = graph().requests;
		expect(seen?.path).toBe("/v1.0/me");
		expect(seen?.headers.authorization).toBe("Bearer [redacted]");
		expect(seen?.headers["client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
		expect(seen?.headers["user-agent"]).toMatch(/^o365-ts\/\d+\.\d+\.\d+/);
		expect(seen?.headers.sdkversion).toBeUndefined();
	});

	it("resolves relative URLs against the service URL and takes absolute ones as they are", async () => {
		const account = daemon();
		await account.con.get("echo/a");
		await account.con.get(`${graph().serviceUrl}echo/b`);
		await account.con.get(new URL(`${graph().origin}/beta/echo/c`));
		await account.con.get("/echo/d", { params: { $top: 5, $filter: "a eq 'b c'", skip: undefined } });
		expect(graph().requests.map((request) => request.path)).toEqual([
			"/v1.0/echo/a",
			"/v1.0/echo/b",
			"/beta/echo/c",
			"/v1.0/echo/d",
		]);
		expect(graph().requests[3]?.query).toEqual({ $top: "5", $filter: "a eq 'b c'" });
	});

	it.each([
		["user:adele@contoso.test", "/v1.0/users/adele@contoso.test"],
		["adele@contoso.test", "/v1.0/users/adele@contoso.test"],
		["/user:u-1/messages?$top=1", "/v1.0/users/u-1/messages"],
		["group:g-1/members", "/v1.0/groups/g-1/members"],
		["site:contoso.sharepoint.com:/sites/hr:/lists", "/v1.0/sites/contoso.sharepoint.com:/sites/hr:/lists"],
		["users?$filter=mail eq 'a@b.c'", "/v1.0/users"],
	])("expands the resource shorthand %s as python-o365 does", async (url, path) => {
		await daemon().con.get(url, { raiseHttpErrors: false });
		expect(graph().requests.at(-1)?.path).toBe(path);
	});

	it("finds a user through the x@y shorthand", async () => {
		const response = await daemon().con.get("adele@contoso.test");
		expect(await response.json()).toMatchObject({ userPrincipalName: "adele@contoso.test" });
	});

	it("merges headers case-insensitively: defaultHeaders, the call's headers, and several Prefer values", async () => {
		const account = daemon({
			defaultHeaders: { Prefer: 'IdType="ImmutableId"', "X-Default": "default", "X-Kept": "kept" },
		});
		const body = await echo(
			await account.con.get("/echo", {
				headers: new Headers({
					prefer: 'outlook.timezone="Romance Standard Time", IdType="ImmutableId"',
					"x-default": "mine",
				}),
			}),
		);
		expect(body.headers.prefer).toBe('outlook.timezone="Romance Standard Time", IdType="ImmutableId"');
		expect(body.headers["x-default"]).toBe("mine");
		expect(body.headers["x-kept"]).toBe("kept");
		const plain = await echo(await account.con.get("/echo", { headers: [["PREFER", "return=minimal"]] }));
		expect(plain.headers.prefer).toBe('return=minimal, IdType="ImmutableId"');
	});

	it("sends a plain object as JSON and a string, bytes, a Blob and form data untouched", async () => {
		const con = daemon().con;
		const json = await echo(await con.post("/echo", { subject: "héllo", to: ["a@b.c"] }));
		expect(json).toMatchObject({ method: "POST", contentType: "application/json" });
		expect(JSON.parse(json.body)).toEqual({ subject: "héllo", to: ["a@b.c"] });
		const array = await echo(await con.put("/echo", [1, 2]));
		expect(array).toMatchObject({ method: "PUT", body: "[1,2]", contentType: "application/json" });
		const text = await echo(
			await con.patch("/echo", '{"already":"json"}', { headers: { "CONTENT-TYPE": "application/json" } }),
		);
		expect(text).toMatchObject({
			method: "PATCH",
			body: '{"already":"json"}',
			contentType: "application/json",
		});
		const plain = await echo(await con.post("/echo", "just text"));
		expect(plain.body).toBe("just text");
		expect(plain.contentType).toMatch(/^text\/plain/);
		const bytes = await echo(
			await con.put("/echo", Buffer.from("raw bytes"), {
				headers: { "Content-Type": "application/octet-stream" },
			}),
		);
		expect(bytes).toMatchObject({ body: "raw bytes", contentType: "application/octet-stream" });
		const buffer = await echo(await con.put("/echo", new TextEncoder().encode("array buffer").buffer));
		expect(buffer.body).toBe("array buffer");
		const blob = await echo(await con.post("/echo", new Blob(["a blob"], { type: "text/csv" })));
		expect(blob).toMatchObject({ body: "a blob", contentType: "text/csv" });
		const form = await echo(await con.post("/echo", new URLSearchParams({ a: "1" })));
		expect(form).toMatchObject({
			body: "a=1",
			contentType: "application/x-www-form-urlencoded;charset=UTF-8",
		});
		const none = await echo(await con.post("/echo"));
		expect(none).toMatchObject({ body: "", contentType: null });
	});

	it("streams a web ReadableStream and a Node Readable as the body", async () => {
		const con = daemon().con;
		const web = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(new TextEncoder().encode("web "));
				controller.enqueue(new TextEncoder().encode("stream"));
				controller.close();
			},
		});
		expect((await echo(await con.put("/echo", web))).body).toBe("web stream");
		const node = Readable.from([Buffer.from("node "), Buffer.from("stream")]);
		expect((await echo(await con.post("/echo", node))).body).toBe("node stream");
	});

	it("oauthRequest takes any method in any case; naiveRequest sends no Authorization header", async () => {
		const con = daemon({ defaultHeaders: { "X-Default": "1" } }).con;
		const authed = await echo(await con.oauthRequest("/echo", "delete"));
		expect(authed.method).toBe("DELETE");
		expect(authed.headers.authorization).toBe("Bearer [redacted]");
		// The fake Graph wants a bearer on every URL: the 401 shows none was sent.
		const naive = await con.naiveRequest(`${graph().serviceUrl}echo`, "put", {
			data: { a: 1 },
			raiseHttpErrors: false,
		});
		expect(naive.status).toBe(401);
		expect(graph().requests.at(-1)).toMatchObject({ method: "PUT", body: '{"a":1}' });
		expect(graph().requests.at(-1)?.headers.authorization).toBeUndefined();
		expect(graph().requests.at(-1)?.headers["x-default"]).toBe("1");
		const error = await con.oauthRequest("/echo", "TRACE").catch((e: unknown) => e);
		expect(error).toBeInstanceOf(O365Error);
		expect((error as O365Error).code).toBe("invalid_request");
	});

	it("throws a GraphError with status, Graph's code and message and the request ids", async () => {
		const con = daemon().con;
		const error = (await con.get("/users/nobody@contoso.test").catch((e: unknown) => e)) as GraphError;
		expect(error).toBeInstanceOf(GraphError);
		expect(error).toBeInstanceOf(O365Error);
		expect(error).toMatchObject({ code: "http_error", status: 404, method: "GET", attempts: 1 });
		expect(error.graphCode).toBe("Request_ResourceNotFound");
		expect(error.graphMessage).toContain("nobody@contoso.test");
		expect(error.requestId).toBe(graph().requests[0]?.requestId);
		expect(error.clientRequestId).toBe(graph().requests[0]?.headers["client-request-id"]);
		expect(error.message).toMatch(/404.*check the path/i);
	});

	it("returns the error response instead with raiseHttpErrors: false (per connection or per call)", async () => {
		const response = await daemon({ raiseHttpErrors: false }).con.get("/users/nobody@contoso.test");
		expect(response.status).toBe(404);
		expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
			"Request_ResourceNotFound",
		);
		const perCall = await daemon().con.get("/nowhere", { raiseHttpErrors: false });
		expect(perCall.status).toBe(404);
	});

	it("answers a claims challenge with one new token carrying the claims, then succeeds", async () => {
		const account = daemon();
		await account.con.get("/echo");
		await rememberToken(account);
		expect(platform().tokenRequests()).toHaveLength(1);
		const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
		graph().failNext({ claimsChallenge: claims, path: "/echo" });
		const response = await account.con.get("/echo");
		expect(response.status).toBe(200);
		const grants = platform().tokenRequests();
		expect(grants).toHaveLength(2);
		expect(JSON.parse(grants[1]?.form.claims ?? "{}")).toMatchObject(JSON.parse(claims));
		expect(graph().requests.map((request) => request.status)).toEqual([200, 401, 200]);
		await rememberToken(account);
	});

	it("refreshes a user's token once on a 401 and retries", async () => {
		const account = await signedInUser();
		platform().clearRequests();
		graph().failNext({ status: 401, code: "InvalidAuthenticationToken", path: "/me" });
		const response = await account.con.get("/me");
		expect(response.status).toBe(200);
		expect(platform().tokenRequests("refresh_token")).toHaveLength(1);
		expect(graph().requests.map((request) => request.status)).toEqual([401, 200]);
		await rememberToken(account);
	});

	it("fails with an `unauthorized` GraphError when the 401 persists after exactly one refresh", async () => {
		const account = daemon();
		await account.con.getAccessToken();
		platform().clearRequests();
		graph().failNext({ status: 401, code: "InvalidAuthenticationToken", path: "/echo", times: 2 });
		const error = (await account.con.get("/echo").catch((e: unknown) => e)) as GraphError;
		expect(error).toBeInstanceOf(GraphError);
		expect(error).toMatchObject({ code: "unauthorized", status: 401, attempts: 2 });
		expect(error.message).toMatch(/sign in again/);
		expect(graph().requests).toHaveLength(2);
		expect(platform().tokenRequests()).toHaveLength(1);
	});

	it("does not refresh for a naive request's 401", async () => {
		graph().failNext({ status: 401, path: "/echo" });
		const response = await daemon().con.naiveRequest(`${graph().serviceUrl}echo`, "GET", {
			raiseHttpErrors: false,
		});
		expect(response.status).toBe(401);
		expect(graph().requests).toHaveLength(1);
		expect(platform().tokenRequests()).toHaveLength(0);
	});

	it("calls requestHook after every attempt with method, url without query, status and timing", async () => {
		const seen: unknown[] = [];
		const con = daemon({ requestHook: (info) => seen.push(info) }).con;
		graph().failNext({ status: 503, retryAfter: 0, path: "/echo" });
		await con.get("/echo?secret=abc");
		expect(seen).toHaveLength(2);
		expect(seen[0]).toMatchObject({
			method: "GET",
			url: `${graph().serviceUrl}echo`,
			attempt: 1,
			status: 503,
			throttled: true,
			retryAfterMs: 0,
		});
		expect(seen[1]).toMatchObject({ attempt: 2, status: 200, throttled: false });
		expect((seen[1] as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(0);
		expect(JSON.stringify(seen)).not.toContain("secret=abc");
	});

	it("refuses bad request options at construction, naming each", () => {
		expect(() => daemon({ timeoutMs: -1, requestRetries: Number.NaN })).toThrow(
			/timeoutMs must be a number of 0 or more; requestRetries must be/,
		);
	});
});
