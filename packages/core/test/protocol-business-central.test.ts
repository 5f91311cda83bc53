import { describe, expect, it } from "vitest";
import {
	BUSINESS_CENTRAL_HOST,
	MSBusinessCentral365Protocol,
} from "../src/protocol/business-central-protocol.js";
import { Protocol } from "../src/protocol/protocol.js";
import { errorOf } from "./helpers/errors.js";

describe("MSBusinessCentral365Protocol", () => {
	it("builds …/v2.0/<environment>/api/<apiVersion>/ with an environment (spec §1.5)", () => {
		const bc = new MSBusinessCentral365Protocol({ environment: "production", timezone: "UTC" });
		expect(bc.protocolUrl).toBe("https://api.businesscentral.dynamics.com/v2.0/production/api/");
		expect(bc.serviceUrl).toBe("https://api.businesscentral.dynamics.com/v2.0/production/api/v1.0/");
	});

	it("builds …/v1.0/api/<apiVersion>/ without one", () => {
		const bc = new MSBusinessCentral365Protocol({ timezone: "UTC" });
		expect(bc.protocolUrl).toBe("https://api.businesscentral.dynamics.com/v1.0/api/");
		expect(bc.serviceUrl).toBe("https://api.businesscentral.dynamics.com/v1.0/api/v1.0/");
		expect(new MSBusinessCentral365Protocol({ environment: "", timezone: "UTC" }).serviceUrl).toBe(
			bc.serviceUrl,
		);
	});

	it("appends the API version it is given", () => {
		const bc = new MSBusinessCentral365Protocol({
			environment: "sandbox",
			apiVersion: "v2.0",
			timezone: "UTC",
		});
		expect(bc.serviceUrl).toBe("https://api.businesscentral.dynamics.com/v2.0/sandbox/api/v2.0/");
	});

	it("prefixes scopes with the BC host and reuses Graph's helpers, as python-o365 does", () => {
		const bc = new MSBusinessCentral365Protocol({ timezone: "UTC" });
		expect(BUSINESS_CENTRAL_HOST).toBe("https://api.businesscentral.dynamics.com/");
		expect(bc.protocolScopePrefix).toBe(BUSINESS_CENTRAL_HOST);
		expect(bc.getScopesFor("basic")).toEqual(["https://api.businesscentral.dynamics.com/User.Read"]);
		expect(bc.getScopesFor(["Financials.ReadWrite.All", "offline_access"])).toEqual([
			"https://api.businesscentral.dynamics.com/Financials.ReadWrite.All",
			"offline_access",
		]);
		expect(bc.prefixScope(".default")).toBe("https://api.businesscentral.dynamics.com/.default");
	});

	it("has Graph's keyword store, camelCase and $top up to 999", () => {
		const bc = new MSBusinessCentral365Protocol({ timezone: "Europe/Madrid", defaultResource: "companies" });
		expect(bc).toBeInstanceOf(Protocol);
		expect(bc.keywordDataStore).toEqual({
			message_type: "microsoft.graph.message",
			event_message_type: "microsoft.graph.eventMessage",
			file_attachment_type: "#microsoft.graph.fileAttachment",
			item_attachment_type: "#microsoft.graph.itemAttachment",
			prefer_timezone_header: 'outlook.timezone="Romance Standard Time"',
		});
		expect(bc.maxTopValue).toBe(999);
		expect(bc.convertCase("display_name")).toBe("displayName");
		expect(bc.defaultResource).toBe("companies");
		bc.timezone = "America/New_York";
		expect(bc.getServiceKeyword("prefer_timezone_header")).toBe('outlook.timezone="Eastern Standard Time"');
	});

	it("rejects an environment name that would break the URL", () => {
		const error = errorOf(
			() => new MSBusinessCentral365Protocol({ environment: "prod/../x", timezone: "UTC" }),
		);
		expect(error.code).toBe("invalid_option");
		expect(error.message).toMatch(/e\.g\. "production"/);
	});
});
