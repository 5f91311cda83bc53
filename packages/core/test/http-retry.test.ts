import { Readable } from "node:stream";
import { GraphError, type HttpRequestInfo, O365Error } from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { until, useFakeGraph } from "./helpers/fake-graph.js";

const { platform, graph, daemon } = useFakeGraph();

function statuses(): number[] {
	return graph().requests.map((request) => request.status);
}

describe("retries, throttling, timeouts and aborts against the fake Graph", () => {
	beforeEach(() => {
		graph().clearRequests();
		platform().clearRequests();
	});

	it("a POST throttled with 429 + Retry-After: 2 succeeds after 2 s, and not before", async () => {
		const con = daemon().con;
		await con.getAccessToken();
		graph().failNext({ status: 429, retryAfter: 2, method: "POST", path: "/echo" });
		const started = Date.now();
		const response = await con.post("/echo", { hello: "world" });
		const elapsed = Date.now() - started;
		expect(response.status).toBe(200);
		expect(elapsed).toBeGreaterThanOrEqual(2000);
		const [first, second] = graph().requests;
		expect(graph().requests).toHaveLength(2);
		expect(first?.status).toBe(429);
		expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2000);
		expect(second?.body).toBe('{"hello":"world"}');
		expect(second?.headers["client-request-id"]).toBe(first?.headers["client-request-id"]);
	});

	it("honours a Retry-After given as an HTTP date", async () => {
		graph().failNext({ status: 503, retryAfter: new Date(Date.now() - 5000), path: "/echo" });
		expect((await daemon().con.get("/echo")).status).toBe(200);
		expect(statuses()).toEqual([503, 200]);
	});

	it("fails at once with a `throttled` GraphError when Retry-After is past the budget", async () => {
		// Waiting out the budget instead would outlast the test's 20 s timeout.
		const con = daemon({ retryBudgetMs: 60_000 }).con;
		await con.getAccessToken();
		graph().failNext({ status: 429, retryAfter: 3600, path: "/echo" });
		const error = (await con.get("/echo").catch((e: unknown) => e)) as GraphError;
		expect(error).toBeInstanceOf(GraphError);
		expect(error).toMatchObject({ code: "throttled", status: 429, retryAfterMs: 3_600_000, attempts: 1 });
		expect(error.graphCode).toBe("TooManyRequests");
		expect(error.message).toMatch(/retryBudgetMs/);
		expect(graph().requests).toHaveLength(1);
	});

	it("gives up after requestRetries and returns the last response with raiseHttpErrors: false", async () => {
		const con = daemon({ requestRetries: 2, raiseHttpErrors: false }).con;
		graph().failNext({ status: 503, retryAfter: 0, path: "/echo", times: 3 });
		const response = await con.get("/echo");
		expect(response.status).toBe(503);
		expect(response.headers.get("retry-after")).toBe("0");
		expect(statuses()).toEqual([503, 503, 503]);
	});

	it("retries a 500 on GET (with back-off) but not on POST", async () => {
		const con = daemon().con;
		graph().failNext({ status: 500, method: "GET", path: "/echo" });
		expect((await con.get("/echo")).status).toBe(200);
		expect(statuses()).toEqual([500, 200]);
		graph().clearRequests();
		graph().failNext({ status: 500, method: "POST", path: "/echo" });
		const error = (await con.post("/echo", { a: 1 }).catch((e: unknown) => e)) as GraphError;
		expect(error).toMatchObject({ code: "http_error", status: 500, attempts: 1 });
		expect(statuses()).toEqual([500]);
	});

	it.each([502, 504])("retries a %i on PUT and DELETE", async (status) => {
		const con = daemon().con;
		graph().failNext({ status, method: "PUT", path: "/echo" });
		graph().failNext({ status, method: "DELETE", path: "/echo" });
		expect((await con.put("/echo", "x")).status).toBe(200);
		expect((await con.delete("/echo")).status).toBe(200);
		expect(statuses()).toEqual([status, 200, status, 200]);
	});

	it("retries a connection reset on GET, and reports it as a `network_error` on POST", async () => {
		const con = daemon().con;
		await con.getAccessToken();
		graph().failNext({ resetConnection: true, method: "GET", path: "/echo" });
		expect((await con.get("/echo")).status).toBe(200);
		expect(graph().requests).toHaveLength(2);
		graph().failNext({ resetConnection: true, method: "POST", path: "/echo" });
		const error = (await con.post("/echo", {}).catch((e: unknown) => e)) as O365Error;
		expect(error).toBeInstanceOf(O365Error);
		expect(error.code).toBe("network_error");
		expect(error.message).toMatch(/check the network/);
		expect(graph().requests).toHaveLength(3);
	});

	it("never retries a request whose body is a stream", async () => {
		graph().failNext({ status: 429, retryAfter: 0, method: "POST", path: "/echo" });
		const error = (await daemon()
			.con.post("/echo", Readable.from([Buffer.from("once")]))
			.catch((e: unknown) => e)) as GraphError;
		expect(error).toMatchObject({ code: "throttled", status: 429, attempts: 1 });
		expect(error.message).toMatch(/stream/);
		expect(graph().requests).toHaveLength(1);
	});

	it("stops a Retry-After wait at once when the signal aborts", async () => {
		const controller = new AbortController();
		const con = daemon({
			requestHook: (info: HttpRequestInfo) => {
				if (info.status === 429) controller.abort();
			},
		}).con;
		graph().failNext({ status: 429, retryAfter: 30, path: "/echo" });
		const started = Date.now();
		const error = (await con
			.get("/echo", { signal: controller.signal })
			.catch((e: unknown) => e)) as O365Error;
		expect(error).toBeInstanceOf(O365Error);
		expect(error.code).toBe("aborted");
		expect(Date.now() - started).toBeLessThan(10_000); // well before the 30 s Retry-After
		expect(graph().requests).toHaveLength(1);
	});

	it("stops waiting for a hung server at once when the signal aborts", async () => {
		const con = daemon().con;
		await con.getAccessToken();
		graph().failNext({ hang: true, path: "/echo" });
		const controller = new AbortController();
		const pending = con.get("/echo", { signal: controller.signal }).catch((e: unknown) => e);
		await until(() => graph().requests.length === 1);
		controller.abort(); // the server never answers: only the abort can end the call
		const error = (await pending) as O365Error;
		expect(error.code).toBe("aborted");
	});

	it("fails with a `timeout` error when the server does not answer in timeoutMs", async () => {
		const con = daemon({ timeoutMs: 300 }).con;
		await con.getAccessToken();
		graph().failNext({ hang: true, method: "POST", path: "/echo" });
		const started = Date.now();
		const error = (await con.post("/echo", {}).catch((e: unknown) => e)) as O365Error;
		expect(error).toBeInstanceOf(O365Error);
		expect(error.code).toBe("timeout");
		expect(error.message).toMatch(/within 300 ms.*raise timeoutMs/);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(graph().requests).toHaveLength(1);
	});

	it("times out an attempt that also has a caller's signal (which is left unaborted)", async () => {
		const con = daemon({ requestRetries: 0 }).con;
		await con.getAccessToken();
		graph().failNext({ hang: true, path: "/echo" });
		const controller = new AbortController();
		const error = (await con
			.get("/echo", { signal: controller.signal, timeoutMs: 200 })
			.catch((e: unknown) => e)) as O365Error;
		expect(error.code).toBe("timeout");
		expect(controller.signal.aborted).toBe(false);
	});

	it("sends an idempotent request again after a timeout, the per-call timeout winning", async () => {
		const con = daemon().con;
		await con.getAccessToken();
		graph().failNext({ hang: true, method: "GET", path: "/echo" });
		// long enough for the second attempt to answer on a loaded machine (200 ms was not, in CI)
		expect((await con.get("/echo", { timeoutMs: 2_000 })).status).toBe(200);
		expect(graph().requests).toHaveLength(2);
	});

	it("spaces the requests of one connection by requestsDelay without holding up another", async () => {
		const sentAt = new Map<string, number>();
		const recordingFetch: typeof fetch = (input, init) => {
			sentAt.set(new URL(String(input)).pathname, performance.now());
			return fetch(input, init);
		};
		const slow = daemon({ requestsDelay: 200, fetch: recordingFetch }).con;
		const other = daemon({ fetch: recordingFetch }).con;
		await Promise.all([slow.getAccessToken(), other.getAccessToken()]);
		const spaced = Promise.all([slow.get("/echo/1"), slow.get("/echo/2"), slow.get("/echo/3")]);
		await other.get("/echo/other");
		await spaced;
		const at = (path: string) => sentAt.get(`/v1.0/echo/${path}`) ?? Number.NaN;
		expect(at("2") - at("1")).toBeGreaterThanOrEqual(195);
		expect(at("3") - at("2")).toBeGreaterThanOrEqual(195);
		// The other connection's request did not queue behind the slow one's.
		expect(at("other")).toBeLessThan(at("2"));
		expect(graph().requests).toHaveLength(4);
	});
});
