import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
	type FakeGraph,
	type FakeIdentityPlatform,
	startFakeGraph,
	startFakeIdentityPlatform,
} from "../src/index.js";
import { publicApp, signInPublicClient } from "./helpers.js";

const SECRET = "batch-daemon-secret";

interface BatchStep {
	id: string;
	method: string;
	url: string;
	headers?: Record<string, string>;
	body?: unknown;
	dependsOn?: string[];
}

interface StepResponse {
	id: string;
	status: number;
	headers: Record<string, string>;
	body?: any;
}

let idp: FakeIdentityPlatform;
let graph: FakeGraph;
let appToken: string;
let userToken: string;

async function batch(requests: BatchStep[], token = appToken) {
	const response = await fetch(`${graph.serviceUrl}$batch`, {
		method: "POST",
		headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
		body: JSON.stringify({ requests }),
	});
	const body = (await response.json()) as {
		responses?: StepResponse[];
		error?: { code: string; message: string };
	};
	const byId = new Map((body.responses ?? []).map((step) => [step.id, step]));
	const step = (id: string): StepResponse => {
		const found = byId.get(id);
		if (!found) throw new Error(`no response for step ${id}`);
		return found;
	};
	return { response, body, step };
}

beforeAll(async () => {
	idp = await startFakeIdentityPlatform({
		clients: [
			{ clientId: "daemon", clientSecret: SECRET },
			{ clientId: "native", redirectUris: ["http://localhost"] },
		],
		users: [{ username: "adele@contoso.test", name: "Adele Vance" }, { username: "megan@contoso.test" }],
	});
	graph = await startFakeGraph({ identityPlatform: idp });
	const token = await fetch(`${idp.origin}/${idp.tenantId}/oauth2/v2.0/token`, {
		method: "POST",
		body: new URLSearchParams({
			grant_type: "client_credentials",
			client_id: "daemon",
			client_secret: SECRET,
			scope: "https://graph.microsoft.com/.default",
		}),
	});
	appToken = ((await token.json()) as { access_token: string }).access_token;
	userToken = (await signInPublicClient(idp, publicApp(idp, "native"))).accessToken;
});

afterEach(() => graph.clearRequests());

afterAll(async () => {
	const log = JSON.stringify(graph.requests);
	expect(log.includes(appToken) || log.includes(userToken)).toBe(false);
	await graph.close();
	await idp.close();
});

describe("fake Graph: $batch", () => {
	it("runs each step through the routes with the batch's bearer, and records steps with batchStepOf", async () => {
		const { response, body, step } = await batch(
			[
				{ id: "me", method: "GET", url: "/me" },
				{ id: "two", method: "GET", url: "users?$top=1" },
				{ id: "adele", method: "GET", url: "/users/adele@contoso.test?$select=displayName" },
			],
			userToken,
		);
		expect(response.status).toBe(200);
		expect(body.responses).toHaveLength(3);
		expect(step("me")).toMatchObject({ status: 200, body: { userPrincipalName: "adele@contoso.test" } });
		expect(step("two").body.value).toHaveLength(1);
		expect(step("two").body["@odata.nextLink"]).toMatch(
			/^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?\$top=1&\$skiptoken=/,
		);
		expect(step("adele").body).toMatchObject({ displayName: "Adele Vance" });
		expect(step("adele").headers["Content-Type"]).toMatch(/^application\/json/);

		const [envelope, ...steps] = graph.requests;
		expect(envelope).toMatchObject({ method: "POST", path: "/v1.0/$batch", status: 200 });
		expect(envelope?.requestId).toBe(response.headers.get("request-id"));
		expect(steps.map((entry) => [entry.batchStepId, entry.path, entry.status])).toEqual([
			["me", "/v1.0/me", 200],
			["two", "/v1.0/users", 200],
			["adele", "/v1.0/users/adele@contoso.test", 200],
		]);
		for (const entry of steps) {
			expect(entry.batchStepOf).toBe(envelope?.requestId);
			expect(entry.headers.authorization).toBe("Bearer [redacted]");
		}
		expect(steps[1]?.query).toEqual({ $top: "1" });
	});

	it("refuses more than 20 requests with 400, running none", async () => {
		const requests = Array.from({ length: 21 }, (_, index) => ({
			id: `${index + 1}`,
			method: "GET",
			url: "/users",
		}));
		const { response, body } = await batch(requests);
		expect(response.status).toBe(400);
		expect(body.error?.code).toBe("BadRequest");
		expect(body.error?.message).toContain("20");
		expect(graph.requests).toHaveLength(1);
		expect((await batch(requests.slice(0, 20))).response.status).toBe(200);
	});

	it("refuses an invalid batch: duplicate ids, unknown or cyclic dependencies, no requests list", async () => {
		const get = (id: string, dependsOn?: string[]) => ({
			id,
			method: "GET",
			url: "/users",
			...(dependsOn ? { dependsOn } : {}),
		});
		expect((await batch([get("1"), get("1")])).response.status).toBe(400);
		expect((await batch([get("1", ["9"])])).response.status).toBe(400);
		expect((await batch([get("1", ["2"]), get("2", ["1"])])).response.status).toBe(400);
		const noList = await fetch(`${graph.serviceUrl}$batch`, {
			method: "POST",
			headers: { Authorization: `Bearer ${appToken}`, "Content-Type": "application/json" },
			body: "{}",
		});
		expect(noList.status).toBe(400);
	});

	it("runs a step after the steps it dependsOn, even when listed first", async () => {
		const { step } = await batch([
			{ id: "second", method: "GET", url: "/users", dependsOn: ["first"] },
			{ id: "first", method: "GET", url: "/users?$top=1" },
		]);
		expect([step("first").status, step("second").status]).toEqual([200, 200]);
		expect(graph.requests.slice(1).map((entry) => entry.batchStepId)).toEqual(["first", "second"]);
	});

	it("answers 424 to steps whose dependency failed, transitively, and runs independent steps", async () => {
		const { response, step } = await batch([
			{ id: "1", method: "GET", url: "/users/nobody@contoso.test" },
			{ id: "2", method: "GET", url: "/users", dependsOn: ["1"] },
			{ id: "3", method: "GET", url: "/users", dependsOn: ["2"] },
			{ id: "4", method: "GET", url: "/users" },
		]);
		expect(response.status).toBe(200);
		expect([step("1").status, step("2").status, step("3").status, step("4").status]).toEqual([
			404, 424, 424, 200,
		]);
		expect(step("2").body.error.code).toBe("FailedDependency");
	});

	it("passes step headers and bodies: a JSON body object is serialised, a body without Content-Type is refused", async () => {
		const { step } = await batch([
			{
				id: "json",
				method: "POST",
				url: "/echo",
				headers: { "Content-Type": "application/json", "X-Step": "1" },
				body: { subject: "Hi" },
			},
			{ id: "no-type", method: "POST", url: "/echo", body: { subject: "Hi" } },
			{
				id: "mail",
				method: "POST",
				url: "/me/sendMail",
				headers: { "content-type": "application/json" },
				body: { message: {} },
			},
		]);
		expect(step("json").body).toMatchObject({
			method: "POST",
			body: '{"subject":"Hi"}',
			contentType: "application/json",
			headers: { "x-step": "1", authorization: "Bearer [redacted]" },
		});
		expect(step("no-type").status).toBe(400);
		// sendMail needs a delegated token: the app token gets /me's 400 inside the step.
		expect(step("mail").status).toBe(400);
		expect(step("mail").body.error.message).toBe(
			"/me request is only valid with delegated authentication flow.",
		);
	});

	it("applies failNext to a matching step inside the batch, leaving the envelope 200", async () => {
		graph.failNext({ status: 500, path: "/users" });
		const { response, step } = await batch([
			{ id: "a", method: "GET", url: "/echo" },
			{ id: "b", method: "GET", url: "/users" },
		]);
		expect(response.status).toBe(200);
		expect([step("a").status, step("b").status]).toEqual([200, 500]);
	});
});

describe("fake Graph: throttled $batch steps", () => {
	const four = (): BatchStep[] =>
		["1", "2", "3", "4"].map((id) => ({ id, method: "GET", url: `/users?$top=${id}` }));

	it("throttles `count` steps with 429 and their own Retry-After while the envelope is 200", async () => {
		graph.throttleBatchSteps({ count: 2, retryAfter: 3 });
		const { response, step } = await batch(four());
		expect(response.status).toBe(200);
		expect(response.headers.get("retry-after")).toBeNull();
		for (const id of ["1", "2"]) {
			expect(step(id).status).toBe(429);
			expect(step(id).headers["Retry-After"]).toBe("3");
			expect(step(id).body.error.code).toBe("TooManyRequests");
		}
		expect([step("3").status, step("4").status]).toEqual([200, 200]);
		expect(graph.requests.filter((entry) => entry.status === 429).map((entry) => entry.batchStepId)).toEqual([
			"1",
			"2",
		]);
		const next = await batch(four());
		expect(next.body.responses?.every((stepResponse) => stepResponse.status === 200)).toBe(true);
	});

	it("throttles the listed ids with 503 for `times` batch calls; dependants of a throttled step get 424", async () => {
		graph.throttleBatchSteps({ ids: ["2"], status: 503, retryAfter: 5, times: 2 });
		const requests: BatchStep[] = [...four(), { id: "5", method: "GET", url: "/users", dependsOn: ["2"] }];
		for (let call = 0; call < 2; call += 1) {
			const { response, step } = await batch(requests);
			expect(response.status).toBe(200);
			expect(step("2")).toMatchObject({ status: 503, headers: { "Retry-After": "5" } });
			expect(step("5").status).toBe(424);
			expect([step("1").status, step("3").status, step("4").status]).toEqual([200, 200, 200]);
		}
		const third = await batch(requests);
		expect(third.body.responses?.every((stepResponse) => stepResponse.status === 200)).toBe(true);
	});

	it("throttles every step by default, with Retry-After 1", async () => {
		graph.throttleBatchSteps({});
		const { body } = await batch(four());
		expect(
			body.responses?.map((stepResponse) => [stepResponse.status, stepResponse.headers["Retry-After"]]),
		).toEqual([
			[429, "1"],
			[429, "1"],
			[429, "1"],
			[429, "1"],
		]);
	});
});
