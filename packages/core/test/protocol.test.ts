import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../src/errors.js";
import { CLOUDS } from "../src/protocol/clouds.js";
import { Protocol, type ProtocolOptions } from "../src/protocol/protocol.js";
import { DEFAULT_SCOPES } from "../src/protocol/scopes.js";
import { getLocalTimezone } from "../src/protocol/timezones.js";
import { toPascalCase } from "../src/utils/casing.js";
import { errorOf } from "./helpers/errors.js";

const base: ProtocolOptions = { protocolUrl: "https://api.example.com/", apiVersion: "v2" };

describe("Protocol construction", () => {
	it("sets python-o365's attributes in camelCase with its defaults", () => {
		const protocol = new Protocol(base);
		expect(protocol.protocolUrl).toBe("https://api.example.com/");
		expect(protocol.apiVersion).toBe("v2");
		expect(protocol.serviceUrl).toBe("https://api.example.com/v2/");
		expect(protocol.protocolScopePrefix).toBe("");
		expect(protocol.defaultResource).toBe("me");
		expect(protocol.useDefaultCasing).toBe(true);
		expect(protocol.casingFunction("is_read")).toBe("isRead");
		expect(protocol.keywordDataStore).toEqual({});
		expect(protocol.maxTopValue).toBe(500);
		expect(protocol.scopeHelpers).toEqual({});
		expect(protocol.cloud).toBe(CLOUDS.global);
		expect(protocol.timezone).toBe(getLocalTimezone());
	});

	it.each([
		["protocolUrl", { apiVersion: "v1.0" }],
		["apiVersion", { protocolUrl: "https://api.example.com/" }],
		["both", {}],
		["a blank apiVersion", { protocolUrl: "https://api.example.com/", apiVersion: " " }],
	])("rejects a missing %s with invalid_option (python: ValueError)", (_label, options) => {
		const error = errorOf(() => new Protocol(options as ProtocolOptions));
		expect(error.code).toBe("invalid_option");
		expect(error.message).toMatch(/needs both protocolUrl and apiVersion.*use new MSGraphProtocol\(\)/);
	});

	it("rejects a missing options object", () => {
		expect(errorOf(() => new Protocol(undefined as never)).code).toBe("invalid_option");
	});

	it("rejects a protocolUrl that is not an absolute http(s) URL", () => {
		expect(errorOf(() => new Protocol({ ...base, protocolUrl: "graph.microsoft.com" })).message).toMatch(
			/protocolUrl must be an absolute http\(s\) URL/,
		);
		expect(errorOf(() => new Protocol({ ...base, protocolUrl: "ftp://example.com/" })).code).toBe(
			"invalid_option",
		);
	});

	it("adds the missing trailing slash to protocolUrl so serviceUrl stays well-formed", () => {
		const protocol = new Protocol({ ...base, protocolUrl: "http://127.0.0.1:8080/graph" });
		expect(protocol.serviceUrl).toBe("http://127.0.0.1:8080/graph/v2/");
	});

	it("uses me when defaultResource is empty", () => {
		expect(new Protocol({ ...base, defaultResource: "" }).defaultResource).toBe("me");
		expect(new Protocol({ ...base, defaultResource: "users/a@b.c" }).defaultResource).toBe("users/a@b.c");
	});

	it("takes a cloud for its sign-in host and rejects unknown clouds", () => {
		expect(new Protocol({ ...base, cloud: "china" }).cloud.authorityHost).toBe(
			"https://login.chinacloudapi.cn",
		);
		expect(errorOf(() => new Protocol({ ...base, cloud: "mars" as never })).code).toBe("invalid_option");
	});

	it("rejects a casingFunction that is not a function", () => {
		expect(errorOf(() => new Protocol({ ...base, casingFunction: "camel" as never })).code).toBe(
			"invalid_option",
		);
	});
});

describe("Protocol casing", () => {
	it("leaves keys unchanged without a casing function (python: use_default_casing)", () => {
		const protocol = new Protocol(base);
		expect(protocol.convertCase("is_read")).toBe("is_read");
	});

	it("applies the casing function it is given", () => {
		const protocol = new Protocol({ ...base, casingFunction: toPascalCase });
		expect(protocol.useDefaultCasing).toBe(false);
		expect(protocol.convertCase("is_read")).toBe("IsRead");
	});

	it("toApiCase always gives snake_case", () => {
		expect(Protocol.toApiCase("isRead")).toBe("is_read");
		expect(Protocol.toApiCase("ReceivedDateTime")).toBe("received_date_time");
	});
});

describe("Protocol keywords", () => {
	it("reads keywords by python's snake_case name or its camelCase form", () => {
		const protocol = new Protocol(base);
		protocol.keywordDataStore.message_type = "x.message";
		expect(protocol.getServiceKeyword("message_type")).toBe("x.message");
		expect(protocol.getServiceKeyword("messageType")).toBe("x.message");
		expect(protocol.getServiceKeyword("missing")).toBeUndefined();
		expect(protocol.getServiceKeyword("toString")).toBeUndefined();
	});
});

describe("Protocol timezone", () => {
	it("accepts an IANA zone and can be changed", () => {
		const protocol = new Protocol({ ...base, timezone: "Europe/Madrid" });
		expect(protocol.timezone).toBe("Europe/Madrid");
		protocol.timezone = "Asia/Tokyo";
		expect(protocol.timezone).toBe("Asia/Tokyo");
	});

	it("rejects an unknown zone with unknown_timezone at construction and on assignment", () => {
		const construction = errorOf(() => new Protocol({ ...base, timezone: "Europe/Atlantis" }));
		expect(construction.code).toBe("unknown_timezone");
		expect(construction.message).toMatch(/"Europe\/Atlantis" is not an IANA time zone name; use one such as/);
		const protocol = new Protocol({ ...base, timezone: "UTC" });
		expect(
			errorOf(() => {
				protocol.timezone = "Romance Standard Time";
			}).code,
		).toBe("unknown_timezone");
		expect(protocol.timezone).toBe("UTC");
	});

	it("rejects a non-string zone with invalid_option (python: ValueError)", () => {
		const protocol = new Protocol(base);
		expect(
			errorOf(() => {
				protocol.timezone = 3 as never;
			}).code,
		).toBe("invalid_option");
	});

	it("lets a subclass react to a zone before it is stored, and veto it", () => {
		class Recording extends Protocol {
			protected override timezoneChanged(timezone: string): void {
				if (timezone === "Asia/Tokyo") {
					throw new ConfigurationError("unknown_timezone", "no Tokyo here");
				}
				this.keywordDataStore.zone = timezone;
			}
		}
		const protocol = new Recording({ ...base, timezone: "Europe/Madrid" });
		expect(protocol.getServiceKeyword("zone")).toBe("Europe/Madrid");
		expect(() => {
			protocol.timezone = "Asia/Tokyo";
		}).toThrow(/no Tokyo here/);
		expect(protocol.timezone).toBe("Europe/Madrid");
		expect(protocol.getServiceKeyword("zone")).toBe("Europe/Madrid");
	});
});

describe("Protocol scopes", () => {
	const graphLike = new Protocol({
		...base,
		protocolScopePrefix: "https://api.example.com/",
		scopeHelpers: DEFAULT_SCOPES,
	});

	it("expands helpers and prefixes bare permissions in first-seen order", () => {
		expect(
			graphLike.getScopesFor(["basic", "Mail.Read", "https://api.example.com/User.Read", "offline_access"]),
		).toEqual(["https://api.example.com/User.Read", "https://api.example.com/Mail.Read", "offline_access"]);
	});

	it("treats a string as a single entry", () => {
		expect(graphLike.getScopesFor("message_send")).toEqual(["https://api.example.com/Mail.Send"]);
	});

	it("requires scopes instead of requesting every helper (python: all helpers)", () => {
		expect(errorOf(() => graphLike.getScopesFor([])).code).toBe("invalid_scopes");
		expect(errorOf(() => graphLike.getScopesFor(undefined as never)).code).toBe("invalid_scopes");
	});

	it("has no helpers by default, like python's base Protocol", () => {
		const plain = new Protocol({ ...base, protocolScopePrefix: "https://api.example.com/" });
		expect(plain.getScopesFor("basic")).toEqual(["https://api.example.com/basic"]);
	});

	it("prefixScope leaves reserved, qualified and prefixed scopes alone", () => {
		expect(graphLike.prefixScope(".default")).toBe("https://api.example.com/.default");
		expect(graphLike.prefixScope("offline_access")).toBe("offline_access");
		expect(graphLike.prefixScope("https://other.example/.default")).toBe("https://other.example/.default");
		expect(graphLike.prefixScope("https://api.example.com/X.Read")).toBe("https://api.example.com/X.Read");
		expect(new Protocol(base).prefixScope("X.Read")).toBe("X.Read");
	});
});
