import { describe, expect, it } from "vitest";
import { CLOUD_NAMES, CLOUDS, getCloud, isCloudName } from "../src/protocol/clouds.js";
import { errorOf } from "./helpers/errors.js";

describe("national clouds", () => {
	it("lists global, US Government L4 and L5, and China", () => {
		expect(CLOUD_NAMES).toEqual(["global", "usGovL4", "usGovL5", "china"]);
	});

	it.each([
		["global", "https://login.microsoftonline.com", "https://graph.microsoft.com"],
		["usGovL4", "https://login.microsoftonline.us", "https://graph.microsoft.us"],
		["usGovL5", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us"],
		["china", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"],
	] as const)("%s signs in at %s and calls Graph at %s", (name, authorityHost, graphHost) => {
		expect(getCloud(name)).toEqual({ name, authorityHost, graphHost, scopePrefix: `${graphHost}/` });
	});

	it("uses the Graph host plus a slash as every cloud's scope prefix", () => {
		for (const cloud of Object.values(CLOUDS)) {
			expect(cloud.scopePrefix).toBe(`${cloud.graphHost}/`);
			expect(cloud.graphHost.endsWith("/")).toBe(false);
			expect(cloud.authorityHost.endsWith("/")).toBe(false);
		}
	});

	it("is read-only data", () => {
		expect(Object.isFrozen(CLOUDS)).toBe(true);
		expect(Object.isFrozen(CLOUDS.global)).toBe(true);
	});

	it("rejects an unknown cloud name with invalid_option, listing the valid ones", () => {
		const attempt = () => getCloud("usgov" as never);
		expect(attempt).toThrow(/Unknown cloud "usgov"; use one of "global", "usGovL4", "usGovL5", "china"/);
		expect(errorOf(attempt).code).toBe("invalid_option");
	});

	it("does not treat Object.prototype keys as clouds", () => {
		expect(isCloudName("toString")).toBe(false);
		expect(isCloudName("constructor")).toBe(false);
		expect(isCloudName(undefined)).toBe(false);
		expect(isCloudName("global")).toBe(true);
	});
});
