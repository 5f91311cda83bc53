import { MSGraphProtocol, O365Error } from "@o365/core";
import { type FakeGraph, startFakeGraph } from "@o365/testkit";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useFakeGraph } from "./helpers/fake-graph.js";

const shared = useFakeGraph();
let local: FakeGraph | undefined;
/** A fake Graph of this test alone, so that its hanging requests are the only ones counted. */
const graph = () => local as FakeGraph;
const daemon = (extra: Parameters<typeof shared.daemon>[0] = {}) =>
	shared.daemon({ protocol: new MSGraphProtocol({ protocolUrl: `${graph().origin}/` }), ...extra });

/** Sockets this process holds (client and server ends alike): what keeps it from exiting. */
function openSockets(): number {
	return process.getActiveResourcesInfo().filter((resource) => resource === "TCPSocketWrap").length;
}

describe("a timed-out attempt closes its connection", () => {
	beforeEach(async () => {
		local = await startFakeGraph({ identityPlatform: shared.platform() });
	});
	afterEach(() => local?.close());

	it("closes the socket of every timed-out attempt, retries included, and keeps none open", async () => {
		const con = daemon({ requestRetries: 3 }).con;
		await con.getAccessToken();
		const socketsBefore = openSockets();
		graph().failNext({ hang: true, method: "GET", path: "/echo", times: 4 });
		const error = (await con.get("/echo", { timeoutMs: 100 }).catch((e: unknown) => e)) as O365Error;
		expect(error).toBeInstanceOf(O365Error);
		expect(error.code).toBe("timeout");
		expect(error.message).toMatch(/within 100 ms \(attempt 4\)/);
		expect(graph().requests).toHaveLength(4);
		// Without the abort, each hanging connection stays open until undici's own 300 s limit.
		await graph().untilNoneHanging();
		expect(graph().hanging).toBe(0);
		// The client's ends close a moment after the server saw them go; undici's limit is 300 s.
		await vi.waitFor(() => expect(openSockets()).toBeLessThanOrEqual(socketsBefore), { timeout: 10_000 });
	});

	it("closes the socket of a timed-out attempt that also had the caller's signal", async () => {
		const con = daemon({ requestRetries: 0 }).con;
		await con.getAccessToken();
		graph().failNext({ hang: true, method: "GET", path: "/echo" });
		const controller = new AbortController();
		const error = (await con
			.get("/echo", { signal: controller.signal, timeoutMs: 100 })
			.catch((e: unknown) => e)) as O365Error;
		expect(error.code).toBe("timeout");
		expect(controller.signal.aborted).toBe(false);
		await graph().untilNoneHanging();
		expect(graph().hanging).toBe(0);
	});

	it("answers normally after timed-out attempts: the pool is not left with dead connections", async () => {
		const con = daemon().con;
		await con.getAccessToken();
		graph().failNext({ hang: true, method: "GET", path: "/echo", times: 2 });
		// long enough for the third attempt to answer on a loaded machine
		expect((await con.get("/echo", { timeoutMs: 1_500 })).status).toBe(200);
		expect(graph().requests.map((request) => request.status)).toEqual([0, 0, 200]);
		await graph().untilNoneHanging();
	});
});
