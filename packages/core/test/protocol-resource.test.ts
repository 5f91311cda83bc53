import { describe, expect, it } from "vitest";
import { MSGraphProtocol } from "../src/protocol/ms-graph-protocol.js";
import {
	buildBaseUrl,
	GROUPS_RESOURCE,
	ME_RESOURCE,
	parseResource,
	resolveMainResource,
	SITES_RESOURCE,
	USERS_RESOURCE,
} from "../src/protocol/resource.js";

describe("parseResource (spec P-7)", () => {
	it.each([
		["me", "me"],
		["users", "users"],
		["  me  ", "me"],
		["john@contoso.com", "users/john@contoso.com"],
		[" shared@contoso.com ", "users/shared@contoso.com"],
		["user:john@contoso.com", "users/john@contoso.com"],
		["user:5c2f6d7a-0000-4000-8000-000000000000", "users/5c2f6d7a-0000-4000-8000-000000000000"],
		["group:0a1b2c3d", "groups/0a1b2c3d"],
		["site:contoso.sharepoint.com:/sites/marketing:", "sites/contoso.sharepoint.com:/sites/marketing:"],
		["users/john@contoso.com", "users/john@contoso.com"],
		["groups/0a1b2c3d", "groups/0a1b2c3d"],
		["teams:abc", "teams:abc"],
		["", ""],
	])("turns %j into %j", (resource, expected) => {
		expect(parseResource(resource)).toBe(expected);
	});

	it("exports python-o365's resource names", () => {
		expect([ME_RESOURCE, USERS_RESOURCE, GROUPS_RESOURCE, SITES_RESOURCE]).toEqual([
			"me",
			"users",
			"groups",
			"sites",
		]);
	});
});

describe("buildBaseUrl", () => {
	const graph = new MSGraphProtocol({ timezone: "UTC" });

	it("joins the service URL and the parsed resource", () => {
		expect(buildBaseUrl(graph, "me")).toBe("https://graph.microsoft.com/v1.0/me");
		expect(buildBaseUrl(graph, "a@b.c")).toBe("https://graph.microsoft.com/v1.0/users/a@b.c");
		expect(buildBaseUrl(graph, "group:g1")).toBe("https://graph.microsoft.com/v1.0/groups/g1");
	});

	it("drops the trailing slash, so an empty resource gives the bare service URL", () => {
		expect(buildBaseUrl(graph, "")).toBe("https://graph.microsoft.com/v1.0");
		expect(buildBaseUrl(graph, "users/")).toBe("https://graph.microsoft.com/v1.0/users");
	});

	it("uses the protocol's default resource when none is given", () => {
		expect(buildBaseUrl(graph)).toBe("https://graph.microsoft.com/v1.0/me");
		const shared = new MSGraphProtocol({ defaultResource: "shared@contoso.com", timezone: "UTC" });
		expect(buildBaseUrl(shared)).toBe("https://graph.microsoft.com/v1.0/users/shared@contoso.com");
	});
});

describe("resolveMainResource (spec P-8)", () => {
	const me = { defaultResource: "me" };
	const shared = { defaultResource: "users/shared@contoso.com" };

	it("prefers the account's main resource over the protocol default", () => {
		expect(resolveMainResource({ protocol: me, mainResource: "group:g1" })).toBe("group:g1");
		expect(resolveMainResource({ protocol: shared })).toBe("users/shared@contoso.com");
		expect(resolveMainResource({ protocol: shared, mainResource: "" })).toBe("users/shared@contoso.com");
	});

	it("keeps me for delegated flows", () => {
		expect(resolveMainResource({ protocol: me })).toBe("me");
		expect(resolveMainResource({ protocol: me, authFlowType: "authorization" })).toBe("me");
		expect(resolveMainResource({ protocol: me, authFlowType: "public", mainResource: "me" })).toBe("me");
	});

	it.each(["credentials", "password"])("turns me into an empty resource for the %s flow", (authFlowType) => {
		expect(resolveMainResource({ protocol: me, authFlowType })).toBe("");
		expect(resolveMainResource({ protocol: shared, authFlowType, mainResource: "me" })).toBe(
			"users/shared@contoso.com",
		);
		expect(resolveMainResource({ protocol: me, authFlowType, mainResource: "users/x@y.z" })).toBe(
			"users/x@y.z",
		);
	});

	it("does not modify the protocol", () => {
		const protocol = { defaultResource: "me" };
		resolveMainResource({ protocol, authFlowType: "credentials" });
		expect(protocol.defaultResource).toBe("me");
	});
});
