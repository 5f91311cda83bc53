import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGraph, startFakeGraph, startFakeIdentityPlatform, TestkitError } from "../src/index.js";

const AUTH = { Authorization: "Bearer test-token" };

interface UserPage {
	"@odata.context": string;
	"@odata.nextLink"?: string;
	"@odata.deltaLink"?: string;
	value: Array<Record<string, unknown>>;
}

let graph: FakeGraph;

async function call(url: string, init: RequestInit = {}) {
	const response = await fetch(new URL(url, graph.serviceUrl), {
		...init,
		headers: { ...AUTH, ...(init.headers as Record<string, string> | undefined) },
	});
	const text = await response.text();
	return { response, text, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

/** Follows `@odata.nextLink` to the end, as a client's page iterator does. */
async function allPages(url: string, init: RequestInit = {}): Promise<UserPage[]> {
	const pages: UserPage[] = [];
	let next: string | undefined = url;
	while (next !== undefined) {
		const { response, body } = await call(next, init);
		expect(response.status).toBe(200);
		const page = body as UserPage;
		pages.push(page);
		next = page["@odata.nextLink"];
	}
	return pages;
}

beforeAll(async () => {
	graph = await startFakeGraph({ users: 25 });
});

afterAll(() => graph.close());

describe("fake Graph: /users paging", () => {
	it("serves pages of 10 by default, linked by absolute nextLinks with $skiptoken", async () => {
		const pages = await allPages("users");
		expect(pages.map((page) => page.value.length)).toEqual([10, 10, 5]);
		expect(pages[0]?.["@odata.context"]).toBe(`${graph.origin}/v1.0/$metadata#users`);
		expect(pages[0]?.["@odata.nextLink"]).toMatch(new RegExp(`^${graph.serviceUrl}users\\?\\$skiptoken=`));
		expect(pages[2]?.["@odata.nextLink"]).toBeUndefined();
		const ids = pages.flatMap((page) => page.value.map((user) => user.id));
		expect(ids).toEqual(graph.users.map((user) => user.id));
		expect(new Set(ids).size).toBe(25);
	});

	it("honours $top on every page, and keeps $top and $select in the nextLink", async () => {
		const pages = await allPages("users?$top=7&$select=id,displayName");
		expect(pages.map((page) => page.value.length)).toEqual([7, 7, 7, 4]);
		expect(pages[0]?.["@odata.nextLink"]).toMatch(/\?\$top=7&\$select=id%2CdisplayName&\$skiptoken=/);
		expect(Object.keys(pages[3]?.value[0] ?? {})).toEqual(["id", "displayName"]);
	});

	it("caps $top at 999 and refuses a $top below 1", async () => {
		const big = await call("users?$top=5000");
		expect(big.body.value).toHaveLength(25);
		expect(big.body["@odata.nextLink"]).toBeUndefined();
		const zero = await call("users?$top=0");
		expect(zero.response.status).toBe(400);
		expect(zero.body.error.message).toContain("Invalid page size");
	});

	it("refuses a $skiptoken it did not issue", async () => {
		const { response, body } = await call("users?$skiptoken=garbage");
		expect(response.status).toBe(400);
		expect(body.error.code).toBe("Directory_ExpiredPageToken");
	});

	it("returns one user by id or by userPrincipalName, and 404 for an unknown one", async () => {
		const [first] = graph.users;
		expect((await call(`users/${first?.id}`)).body).toMatchObject({ id: first?.id, displayName: "User 1" });
		expect((await call("users/USER2@contoso.test")).body).toMatchObject({
			userPrincipalName: "user2@contoso.test",
		});
		const missing = await call("users/nobody@contoso.test");
		expect(missing.response.status).toBe(404);
		expect(missing.body.error).toMatchObject({
			code: "Request_ResourceNotFound",
			message:
				"Resource 'nobody@contoso.test' does not exist or one of its queried reference-property objects are not present.",
		});
	});
});

describe("fake Graph: /users/delta", () => {
	it("pages with nextLinks, ends with a deltaLink, and the deltaLink then reports no change", async () => {
		const pages = await allPages("users/delta", { headers: { Prefer: "odata.maxpagesize=10" } });
		expect(pages.map((page) => page.value.length)).toEqual([10, 10, 5]);
		expect(pages.slice(0, 2).every((page) => page["@odata.deltaLink"] === undefined)).toBe(true);
		const deltaLink = pages[2]?.["@odata.deltaLink"];
		expect(deltaLink).toMatch(new RegExp(`^${graph.serviceUrl}users/delta\\?\\$deltatoken=`));
		const again = await call(deltaLink ?? "");
		expect(again.body.value).toEqual([]);
		expect(again.body["@odata.deltaLink"]).toMatch(/\$deltatoken=/);
		const latest = await call("users/delta?$deltatoken=latest");
		expect(latest.body).toMatchObject({ value: [] });
		expect(latest.body["@odata.deltaLink"]).toBeDefined();
	});

	it("reports users added to the identity platform since the delta token", async () => {
		const idp = await startFakeIdentityPlatform({
			clients: [{ clientId: "daemon", clientSecret: "s" }],
			users: [{ username: "adele@contoso.test" }],
		});
		const live = await startFakeGraph({ identityPlatform: idp, pageSize: 1 });
		try {
			const token = await fetch(`${idp.origin}/${idp.tenantId}/oauth2/v2.0/token`, {
				method: "POST",
				body: new URLSearchParams({
					grant_type: "client_credentials",
					client_id: "daemon",
					client_secret: "s",
					scope: "https://graph.microsoft.com/.default",
				}),
			});
			const { access_token } = (await token.json()) as { access_token: string };
			const bearer = { Authorization: `Bearer ${access_token}` };
			const first = await fetch(`${live.serviceUrl}users/delta`, { headers: bearer });
			const page = (await first.json()) as UserPage;
			expect(page.value.map((user) => user.userPrincipalName)).toEqual(["adele@contoso.test"]);
			const megan = idp.addUser({ username: "megan@contoso.test" });
			const changes = (await (
				await fetch(page["@odata.deltaLink"] ?? "", { headers: bearer })
			).json()) as UserPage;
			expect(changes.value).toEqual([
				{
					id: megan.oid,
					displayName: "megan",
					userPrincipalName: "megan@contoso.test",
					mail: "megan@contoso.test",
				},
			]);
		} finally {
			await live.close();
			await idp.close();
		}
	});

	it("refuses an unknown $deltatoken", async () => {
		const { response } = await call("users/delta?$deltatoken=unknown");
		expect(response.status).toBe(400);
	});
});

describe("fake Graph: /echo and /me/sendMail", () => {
	it("reflects method, lower-cased headers (bearer redacted), raw body and content type", async () => {
		const payload = JSON.stringify({ subject: "Hi ✓", n: 1 });
		const { response, body } = await call("echo?a=b", {
			method: "POST",
			headers: {
				"Content-Type": "application/json",
				"X-Merged-Header": "from-request",
				Prefer: "return=minimal",
			},
			body: payload,
		});
		expect(response.status).toBe(200);
		expect(body).toMatchObject({
			method: "POST",
			path: "/echo",
			query: { a: "b" },
			body: payload,
			contentType: "application/json",
		});
		expect(body.headers).toMatchObject({
			authorization: "Bearer [redacted]",
			"x-merged-header": "from-request",
			prefer: "return=minimal",
		});
	});

	it("reflects PATCH, PUT, DELETE and GET, with form bodies as sent", async () => {
		for (const method of ["PATCH", "PUT", "DELETE"]) {
			const { body } = await call("echo", {
				method,
				headers: { "Content-Type": "application/x-www-form-urlencoded" },
				body: "a=1&b=%C3%A9",
			});
			expect(body).toMatchObject({
				method,
				body: "a=1&b=%C3%A9",
				contentType: "application/x-www-form-urlencoded",
			});
		}
		expect((await call("echo")).body).toMatchObject({ method: "GET", body: "", contentType: null });
	});

	it("accepts POST /me/sendMail with 202 and no body, and refuses a payload without a message", async () => {
		const sent = await call("me/sendMail", {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ message: { subject: "Hi", toRecipients: [] } }),
		});
		expect(sent.response.status).toBe(202);
		expect(sent.text).toBe("");
		const empty = await call("me/sendMail", { method: "POST", body: "" });
		expect(empty.response.status).toBe(400);
	});
});

describe("fake Graph: unknown resources and options", () => {
	it("answers 404 Request_ResourceNotFound for unknown paths and versions, 405 for a wrong method", async () => {
		const unknown = await call("groups");
		expect(unknown.response.status).toBe(404);
		expect(unknown.body.error.code).toBe("Request_ResourceNotFound");
		const version = await call(`${graph.origin}/v2.0/me`);
		expect(version.response.status).toBe(404);
		const wrongMethod = await call("me", { method: "DELETE" });
		expect(wrongMethod.response.status).toBe(405);
	});

	it("defaults to the identity platform's users, and validates options", async () => {
		const idp = await startFakeIdentityPlatform({
			users: [{ username: "adele@contoso.test", name: "Adele" }],
		});
		const mirrored = await startFakeGraph({ identityPlatform: idp });
		try {
			expect(mirrored.users).toEqual([
				{
					id: idp.users[0]?.oid,
					displayName: "Adele",
					userPrincipalName: "adele@contoso.test",
					mail: "adele@contoso.test",
				},
			]);
		} finally {
			await mirrored.close();
			await idp.close();
		}
		await expect(startFakeGraph({ pageSize: 0 })).rejects.toBeInstanceOf(TestkitError);
		await expect(
			startFakeGraph({ users: [{ userPrincipalName: "a@x.test" }, { userPrincipalName: "A@x.test" }] }),
		).rejects.toThrow(/listed twice/);
	});

	it("serves a given user list with defaults filled in", async () => {
		const listed = await startFakeGraph({ users: [{ userPrincipalName: "lee@contoso.test", mail: null }] });
		try {
			expect(listed.users[0]).toMatchObject({
				displayName: "lee",
				userPrincipalName: "lee@contoso.test",
				mail: null,
			});
			expect(listed.users[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
		} finally {
			await listed.close();
		}
	});
});
