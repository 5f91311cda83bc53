import { describe, expect, it } from "vitest";
import { CLOUDS } from "../src/protocol/clouds.js";
import {
	GRAPH_API_VERSION,
	MSGraphProtocol,
	preferTimezoneHeader,
} from "../src/protocol/ms-graph-protocol.js";
import { Protocol } from "../src/protocol/protocol.js";
import { ALL_SCOPE_HELPERS } from "../src/protocol/scopes.js";
import { getLocalTimezone, getWindowsTimezone } from "../src/protocol/timezones.js";
import { errorOf } from "./helpers/errors.js";

describe("MSGraphProtocol defaults", () => {
	const graph = new MSGraphProtocol({ timezone: "Europe/Madrid" });

	it("is a Protocol for global Graph v1.0 on me", () => {
		expect(graph).toBeInstanceOf(Protocol);
		expect(GRAPH_API_VERSION).toBe("v1.0");
		expect(graph.protocolUrl).toBe("https://graph.microsoft.com/");
		expect(graph.protocolScopePrefix).toBe("https://graph.microsoft.com/");
		expect(graph.apiVersion).toBe("v1.0");
		expect(graph.serviceUrl).toBe("https://graph.microsoft.com/v1.0/");
		expect(graph.defaultResource).toBe("me");
		expect(graph.cloud).toBe(CLOUDS.global);
	});

	it("camel-cases keys and allows $top up to 999", () => {
		expect(graph.useDefaultCasing).toBe(false);
		expect(graph.convertCase("received_date_time")).toBe("receivedDateTime");
		expect(graph.maxTopValue).toBe(999);
	});

	it("stores python-o365's Graph keywords and the Prefer time zone header", () => {
		expect(graph.keywordDataStore).toEqual({
			message_type: "microsoft.graph.message",
			event_message_type: "microsoft.graph.eventMessage",
			file_attachment_type: "#microsoft.graph.fileAttachment",
			item_attachment_type: "#microsoft.graph.itemAttachment",
			prefer_timezone_header: 'outlook.timezone="Romance Standard Time"',
		});
		expect(graph.getServiceKeyword("event_message_type")).toBe("microsoft.graph.eventMessage");
		expect(graph.getServiceKeyword("preferTimezoneHeader")).toBe('outlook.timezone="Romance Standard Time"');
	});

	it("uses the machine's zone when none is given", () => {
		const local = new MSGraphProtocol();
		expect(local.timezone).toBe(getLocalTimezone());
		expect(local.getServiceKeyword("prefer_timezone_header")).toBe(
			`outlook.timezone="${getWindowsTimezone(getLocalTimezone())}"`,
		);
	});

	it("expands python-o365's helpers with the Graph prefix", () => {
		expect(graph.getScopesFor(["basic", "message_all", "offline_access"])).toEqual([
			"https://graph.microsoft.com/User.Read",
			"https://graph.microsoft.com/Mail.ReadWrite",
			"https://graph.microsoft.com/Mail.Send",
			"offline_access",
		]);
		expect(graph.getScopesFor(ALL_SCOPE_HELPERS)).toHaveLength(24);
		expect(graph.getScopesFor("sharepoint_dl")).toEqual(["https://graph.microsoft.com/Sites.ReadWrite.All"]);
		expect(graph.prefixScope(".default")).toBe("https://graph.microsoft.com/.default");
	});
});

describe("MSGraphProtocol options", () => {
	it("supports the beta API", () => {
		expect(new MSGraphProtocol({ apiVersion: "beta", timezone: "UTC" }).serviceUrl).toBe(
			"https://graph.microsoft.com/beta/",
		);
	});

	it("rejects an unknown API version", () => {
		const error = errorOf(() => new MSGraphProtocol({ apiVersion: "v2.0" as never, timezone: "UTC" }));
		expect(error.code).toBe("invalid_option");
		expect(error.message).toMatch(/use "v1.0" \(the default\) or "beta"/);
	});

	it("takes a default resource, with empty meaning me", () => {
		expect(new MSGraphProtocol({ defaultResource: "users/a@b.c", timezone: "UTC" }).defaultResource).toBe(
			"users/a@b.c",
		);
		expect(new MSGraphProtocol({ defaultResource: "", timezone: "UTC" }).defaultResource).toBe("me");
	});

	it("allows a protocolUrl override (python raises TypeError) and keeps the real Graph scope prefix", () => {
		const proxied = new MSGraphProtocol({ protocolUrl: "http://127.0.0.1:4000", timezone: "UTC" });
		expect(proxied.serviceUrl).toBe("http://127.0.0.1:4000/v1.0/");
		expect(proxied.getScopesFor("basic")).toEqual(["https://graph.microsoft.com/User.Read"]);
		expect(errorOf(() => new MSGraphProtocol({ protocolUrl: "not a url", timezone: "UTC" })).code).toBe(
			"invalid_option",
		);
	});

	it("allows a protocolScopePrefix override", () => {
		const custom = new MSGraphProtocol({ protocolScopePrefix: "https://example.test/", timezone: "UTC" });
		expect(custom.getScopesFor("basic")).toEqual(["https://example.test/User.Read"]);
	});
});

describe("MSGraphProtocol national clouds", () => {
	it.each([
		["usGovL4", "https://graph.microsoft.us/", "https://login.microsoftonline.us"],
		["usGovL5", "https://dod-graph.microsoft.us/", "https://login.microsoftonline.us"],
		["china", "https://microsoftgraph.chinacloudapi.cn/", "https://login.chinacloudapi.cn"],
		["global", "https://graph.microsoft.com/", "https://login.microsoftonline.com"],
	] as const)("%s calls %s and signs in at %s, without subclassing", (cloud, graphUrl, authorityHost) => {
		const graph = new MSGraphProtocol({ cloud, timezone: "UTC" });
		expect(graph.protocolUrl).toBe(graphUrl);
		expect(graph.serviceUrl).toBe(`${graphUrl}v1.0/`);
		expect(graph.protocolScopePrefix).toBe(graphUrl);
		expect(graph.cloud.authorityHost).toBe(authorityHost);
		expect(graph.getScopesFor(["basic", "offline_access", ".default"])).toEqual([
			`${graphUrl}User.Read`,
			"offline_access",
			`${graphUrl}.default`,
		]);
	});

	it("rejects an unknown cloud", () => {
		expect(errorOf(() => new MSGraphProtocol({ cloud: "germany" as never })).code).toBe("invalid_option");
	});
});

describe("MSGraphProtocol time zone", () => {
	it.each([
		["Europe/Madrid", "Romance Standard Time"],
		["America/New_York", "Eastern Standard Time"],
		["UTC", "UTC"],
	])("sends %s as the Windows zone %s (spec P-2)", (iana, windows) => {
		const graph = new MSGraphProtocol({ timezone: iana });
		expect(graph.keywordDataStore.prefer_timezone_header).toBe(`outlook.timezone="${windows}"`);
		expect(preferTimezoneHeader(iana)).toBe(`outlook.timezone="${windows}"`);
	});

	it("recomputes the Prefer header when the time zone changes", () => {
		const graph = new MSGraphProtocol({ timezone: "UTC" });
		graph.timezone = "America/New_York";
		expect(graph.timezone).toBe("America/New_York");
		expect(graph.getServiceKeyword("prefer_timezone_header")).toBe(
			'outlook.timezone="Eastern Standard Time"',
		);
	});

	it("fails construction for a zone without a Windows name, as python-o365 does", () => {
		const error = errorOf(() => new MSGraphProtocol({ timezone: "Antarctica/Troll" }));
		expect(error.code).toBe("unknown_timezone");
		expect(error.message).toMatch(/no Windows equivalent/);
	});

	it("keeps the previous zone and header when a new zone is rejected", () => {
		const graph = new MSGraphProtocol({ timezone: "Europe/Madrid" });
		expect(
			errorOf(() => {
				graph.timezone = "Antarctica/Troll";
			}).code,
		).toBe("unknown_timezone");
		expect(
			errorOf(() => {
				graph.timezone = "Not/AZone";
			}).code,
		).toBe("unknown_timezone");
		expect(graph.timezone).toBe("Europe/Madrid");
		expect(graph.getServiceKeyword("prefer_timezone_header")).toBe(
			'outlook.timezone="Romance Standard Time"',
		);
	});
});
