import { type BatchRequest, O365Error } from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { useFakeGraph } from "./helpers/fake-graph.js";

const { graph, daemon } = useFakeGraph();

function batchCalls() {
	return graph().requests.filter((request) => request.path === "/v1.0/$batch");
}

describe("JSON batching through $batch", () => {
	beforeEach(() => graph().clearRequests());

	it("sends 45 requests as 20/20/5, re-sends the 3 throttled steps, and returns all 45 in order", async () => {
		const requests: BatchRequest[] = Array.from({ length: 45 }, (_, index) => ({
			id: `r${index + 1}`,
			method: "get",
			url: `/echo?i=${index + 1}`,
		}));
		graph().throttleBatchSteps({ ids: ["r3", "r25", "r44"], retryAfter: 1, times: 3 });
		const started = Date.now();
		const results = await daemon().con.batch(requests);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect([...results.keys()]).toEqual(requests.map((request) => request.id));
		for (const [id, result] of results) {
			expect(result).toMatchObject({ id, status: 200, ok: true });
			expect((result.body as { query: { i: string } }).query.i).toBe(id.slice(1));
		}
		const calls = batchCalls();
		const sizes = calls.map((call) => (JSON.parse(call.body) as { requests: unknown[] }).requests.length);
		expect(sizes).toEqual([20, 20, 5, 3]);
		const resent = (JSON.parse(calls[3]?.body ?? "{}") as { requests: { id: string }[] }).requests;
		expect(resent.map((step) => step.id)).toEqual(["r3", "r25", "r44"]);
	});

	it("keeps dependent requests in one $batch and re-sends a throttled step with the steps that failed on it", async () => {
		const filler: BatchRequest[] = Array.from({ length: 18 }, (_, index) => ({
			id: `f${index}`,
			method: "GET",
			url: "/echo",
		}));
		const requests: BatchRequest[] = [
			...filler,
			{ id: "create", method: "POST", url: "/echo", body: { name: "x" } },
			{ id: "read", method: "GET", url: "/echo/read", dependsOn: ["create"] },
			{ id: "done", method: "GET", url: "user:adele@contoso.test", dependsOn: ["read"] },
		];
		// The throttle counts $batch calls: the first (fillers only) uses one up.
		graph().throttleBatchSteps({ ids: ["create"], status: 503, retryAfter: 0, times: 2 });
		const results = await daemon().con.batch(requests);
		expect([...results.values()].every((result) => result.status === 200)).toBe(true);
		const bodies = batchCalls().map(
			(call) => JSON.parse(call.body) as { requests: { id: string; dependsOn?: string[]; url: string }[] },
		);
		// 18 fillers fit with nothing else; the chain of 3 goes together into the next call.
		expect(bodies.map((body) => body.requests.length)).toEqual([18, 3, 3]);
		expect(bodies[1]?.requests.find((step) => step.id === "done")?.url).toBe("/users/adele@contoso.test");
		expect(bodies[2]?.requests.map((step) => [step.id, step.dependsOn])).toEqual([
			["create", undefined],
			["read", ["create"]],
			["done", ["read"]],
		]);
		const created = results.get("create")?.body as { body: string; contentType: string };
		expect(created.contentType).toBe("application/json");
	});

	it("leaves throttled steps as results when their Retry-After is past the budget", async () => {
		graph().throttleBatchSteps({ ids: ["b"], retryAfter: 3600 });
		// Waiting out the budget instead would outlast the test's 20 s timeout.
		const results = await daemon({ retryBudgetMs: 60_000 }).con.batch([
			{ id: "a", method: "GET", url: "/echo" },
			{ id: "b", method: "GET", url: "/echo" },
		]);
		expect(results.get("a")?.status).toBe(200);
		expect(results.get("b")).toMatchObject({ status: 429, ok: false, headers: { "retry-after": "3600" } });
		expect(batchCalls()).toHaveLength(1);
	});

	it("returns a step's error as its result", async () => {
		const results = await daemon().con.batch([{ id: "missing", method: "GET", url: "/users/nobody" }]);
		expect(results.get("missing")).toMatchObject({ status: 404, ok: false });
	});

	it.each<[string, BatchRequest[], RegExp]>([
		[
			"a duplicate id",
			[
				{ id: "a", method: "GET", url: "/me" },
				{ id: "a", method: "GET", url: "/me" },
			],
			/'a' is used twice/,
		],
		[
			"an unknown dependency",
			[{ id: "a", method: "GET", url: "/me", dependsOn: ["zz"] }],
			/'zz', which is not in the batch/,
		],
		[
			"a cycle",
			[
				{ id: "a", method: "GET", url: "/me", dependsOn: ["b"] },
				{ id: "b", method: "GET", url: "/me", dependsOn: ["a"] },
			],
			/depend on each other/,
		],
		[
			"a chain longer than 20",
			Array.from({ length: 21 }, (_, index) => ({
				id: `s${index}`,
				method: "GET",
				url: "/me",
				...(index > 0 ? { dependsOn: [`s${index - 1}`] } : {}),
			})),
			/21 requests are linked by dependsOn/,
		],
		["a foreign URL", [{ id: "a", method: "GET", url: "https://example.com/v1.0/me" }], /another service/],
		["a bad method", [{ id: "a", method: "TRACE", url: "/me" }], /method must be one of/],
	])("refuses %s before sending anything", async (_name, requests, message) => {
		const error = await daemon()
			.con.batch(requests)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(O365Error);
		expect((error as O365Error).code).toBe("invalid_request");
		expect((error as Error).message).toMatch(message);
		expect(batchCalls()).toHaveLength(0);
	});
});
