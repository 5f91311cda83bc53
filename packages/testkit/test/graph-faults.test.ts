import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeGraph, startFakeGraph, TestkitError } from "../src/index.js";

const AUTH = { Authorization: "Bearer test-token" };

let graph: FakeGraph;

function send(path: string, init: RequestInit = {}): Promise<Response> {
	return fetch(new URL(path, graph.serviceUrl), {
		...init,
		headers: { ...AUTH, ...(init.headers as Record<string, string> | undefined) },
	});
}

/** A minimal client retry policy: on 429/503, wait what Retry-After asks (seconds or HTTP-date), then retry once. */
async function sendHonouringRetryAfter(path: string, init: RequestInit): Promise<Response> {
	const first = await send(path, init);
	if (first.status !== 429 && first.status !== 503) return first;
	const header = first.headers.get("retry-after") ?? "0";
	const waitMs = /^\d+$/.test(header) ? Number(header) * 1000 : Date.parse(header) - Date.now();
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, waitMs)));
	return send(path, init);
}

beforeAll(async () => {
	graph = await startFakeGraph({ users: 3 });
});

afterEach(() => {
	graph.latencyMs = 0;
	graph.clearRequests();
});

afterAll(() => graph.close());

describe("fake Graph: failNext", () => {
	it("answers 429 with Retry-After in seconds, which makes a polite client wait at least that long", async () => {
		graph.failNext({ status: 429, retryAfter: 2, method: "POST", path: "/echo" });
		const response = await sendHonouringRetryAfter("echo", { method: "POST", body: "{}" });
		expect(response.status).toBe(200);
		const [throttled, retried] = graph.requests;
		expect([throttled?.status, retried?.status]).toEqual([429, 200]);
		expect((retried?.at ?? 0) - (throttled?.at ?? 0)).toBeGreaterThanOrEqual(2000);
	});

	it("sends the 429 body Graph sends: TooManyRequests with innerError ids", async () => {
		graph.failNext({ status: 429, retryAfter: 7 });
		const response = await send("users", { headers: { "client-request-id": "abc" } });
		expect(response.status).toBe(429);
		expect(response.headers.get("retry-after")).toBe("7");
		const body = (await response.json()) as { error: Record<string, any> };
		expect(body.error.code).toBe("TooManyRequests");
		expect(body.error.innerError).toMatchObject({
			"request-id": response.headers.get("request-id"),
			"client-request-id": "abc",
		});
	});

	it("sends Retry-After as an HTTP-date, from a string or a Date", async () => {
		const date = new Date(Date.now() + 3000);
		graph.failNext({ status: 429, retryAfter: date.toUTCString() });
		graph.failNext({ status: 503, retryAfter: date });
		expect((await send("users")).headers.get("retry-after")).toBe(date.toUTCString());
		const unavailable = await send("users");
		expect(unavailable.status).toBe(503);
		expect(unavailable.headers.get("retry-after")).toBe(date.toUTCString());
		expect(((await unavailable.json()) as { error: { code: string } }).error.code).toBe(
			"serviceNotAvailable",
		);
	});

	it("answers 500 with generalException, or the code and message given", async () => {
		graph.failNext({ status: 500 });
		graph.failNext({ status: 500, code: "UnknownError", message: "boom" });
		const first = await send("users");
		expect(first.status).toBe(500);
		expect(((await first.json()) as { error: { code: string } }).error.code).toBe("generalException");
		const second = await send("users");
		expect(((await second.json()) as { error: unknown }).error).toMatchObject({
			code: "UnknownError",
			message: "boom",
		});
		expect((await send("users")).status).toBe(200);
	});

	it("counts: `times` requests fail, then requests succeed; faults apply in the order queued", async () => {
		graph.failNext({ status: 503, times: 2 });
		graph.failNext({ status: 500 });
		const statuses: number[] = [];
		for (let i = 0; i < 4; i += 1) statuses.push((await send("users")).status);
		expect(statuses).toEqual([503, 503, 500, 200]);
	});

	it("matches by method and by path (whole segments, or a RegExp)", async () => {
		graph.failNext({ status: 500, path: "/me" });
		graph.failNext({ status: 418, path: /^\/users\/user2/, method: "get" });
		expect((await send("users")).status).toBe(200);
		expect((await send("users/user1@contoso.test")).status).toBe(200);
		expect((await send("users/user2@contoso.test")).status).toBe(418);
		expect((await send("me/sendMail", { method: "POST", body: "" })).status).toBe(500);
	});

	it("resets the connection: fetch rejects, the request is logged with status 0, the next one works", async () => {
		graph.failNext({ resetConnection: true });
		await expect(send("users")).rejects.toThrow(TypeError);
		expect(graph.requests[0]?.status).toBe(0);
		expect((await send("users")).status).toBe(200);
	});

	it("hangs until the client gives up (AbortSignal.timeout)", async () => {
		graph.failNext({ hang: true, path: "/users" });
		const started = Date.now();
		await expect(send("users", { signal: AbortSignal.timeout(300) })).rejects.toMatchObject({
			name: "TimeoutError",
		});
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(graph.requests[0]?.status).toBe(0);
		expect((await send("users")).status).toBe(200);
	});

	it("counts a hanging request until the client closes its connection", async () => {
		graph.failNext({ hang: true, path: "/users" });
		const controller = new AbortController();
		const pending = send("users", { signal: controller.signal }).catch((error: unknown) => error);
		await expect.poll(() => graph.hanging).toBe(1);
		controller.abort();
		expect(await pending).toMatchObject({ name: "AbortError" });
		await graph.untilNoneHanging();
		expect(graph.hanging).toBe(0);
	});

	it("delays the normal answer by delayMs, and adds latencyMs to every answer", async () => {
		graph.failNext({ delayMs: 300 });
		let started = Date.now();
		const delayed = await send("users");
		expect(delayed.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(295);
		graph.latencyMs = 200;
		started = Date.now();
		expect((await send("me")).status).toBe(200);
		expect((await send("me")).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(395);
	});

	it("sends a CAE claims challenge: 401 with insufficient_claims and the claims base64-encoded", async () => {
		const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
		graph.failNext({ claimsChallenge: claims });
		const response = await send("me");
		expect(response.status).toBe(401);
		const header = response.headers.get("www-authenticate") ?? "";
		expect(header).toMatch(
			/^Bearer realm="", authorization_uri="https:\/\/login\.microsoftonline\.com\/common\/oauth2\/authorize", error="insufficient_claims", claims="[A-Za-z0-9+/]+=*"$/,
		);
		const encoded = /claims="([^"]+)"/.exec(header)?.[1] ?? "";
		expect(Buffer.from(encoded, "base64").toString("utf8")).toBe(claims);
		expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
			"InvalidAuthenticationToken",
		);
	});

	it("refuses a fault of no kind, or with a bad count", () => {
		expect(() => graph.failNext({ retryAfter: 2 })).toThrow(TestkitError);
		expect(() => graph.failNext({ status: 429, times: 0 })).toThrow(/times/);
		expect(() => graph.throttleBatchSteps({ count: -1 })).toThrow(TestkitError);
	});
});

describe("fake Graph: close", () => {
	it("drops hanging and delayed requests when closed", async () => {
		const local = await startFakeGraph({ users: 1 });
		local.failNext({ hang: true });
		local.failNext({ delayMs: 60_000 });
		// Settled at once into values, so a rejection during close() is never unhandled.
		const outcome = (url: string) =>
			fetch(url, { headers: AUTH }).then(
				(response) => response.status,
				(error: unknown) => error,
			);
		const hanging = outcome(`${local.serviceUrl}users`);
		const delayed = outcome(`${local.serviceUrl}users`);
		await expect.poll(() => local.requests.length).toBe(2);
		await local.close();
		expect(await hanging).toBeInstanceOf(TypeError);
		expect(await delayed).toBeInstanceOf(TypeError);
	});
});
