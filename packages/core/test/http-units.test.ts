import { readFileSync } from "node:fs";
import { consoleLogger, GraphError, parseRetryAfter, SDK_VERSION } from "@o365/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mergeHeaders, mergePrefer } from "../src/http/headers.js";
import { claimsFromChallenge } from "../src/http/request.js";
import { backoffMs, isRetryableStatus } from "../src/http/retry-policy.js";
import { resolveUrl, resourcePath } from "../src/http/url.js";

describe("request-layer helpers", () => {
	afterEach(() => vi.restoreAllMocks());

	it("reads Retry-After as seconds or as an HTTP date", () => {
		const now = Date.parse("2026-01-01T00:00:00Z");
		expect(parseRetryAfter("2", now)).toBe(2000);
		expect(parseRetryAfter(" 0.5 ", now)).toBe(500);
		expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
		expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
		expect(parseRetryAfter("soon", now)).toBeUndefined();
		expect(parseRetryAfter("-1", now)).toBeUndefined();
		expect(parseRetryAfter(null, now)).toBeUndefined();
	});

	it("combines Prefer values without repeats, keeping quoted commas", () => {
		expect(mergePrefer('a="x, y", b', 'b, c="z"')).toBe('a="x, y", b, c="z"');
		const headers = mergeHeaders({ prefer: "b" }, { Prefer: "a", "X-One": "1", "x-skip": undefined });
		expect(headers).toEqual({ prefer: "a, b", "x-one": "1" });
	});

	it("decodes the claims of a WWW-Authenticate challenge", () => {
		const claims = '{"access_token":{"nbf":{"essential":true}}}';
		const header = `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(claims).toString("base64")}"`;
		expect(claimsFromChallenge(header)).toBe(claims);
		expect(claimsFromChallenge('Bearer realm="", client_id="x"')).toBeUndefined();
		expect(claimsFromChallenge(null)).toBeUndefined();
	});

	it("resolves paths and shorthands without touching absolute URLs", () => {
		expect(resourcePath("//me/messages")).toBe("me/messages");
		expect(resourcePath("a@b.c/events?$top=1")).toBe("users/a@b.c/events?$top=1");
		expect(resourcePath("me/drive/root:/a@b.txt:/content")).toBe("me/drive/root:/a@b.txt:/content");
		expect(resolveUrl("https://g/v1.0/", "https://other/x?y=1", { z: "a b" })).toBe(
			"https://other/x?y=1&z=a%20b",
		);
		expect(resolveUrl("https://g/v1.0/", "me", {})).toBe("https://g/v1.0/me");
	});

	it("retries throttling for every method and server faults only for idempotent ones", () => {
		expect(["POST", "PATCH", "GET"].every((method) => isRetryableStatus(429, method))).toBe(true);
		expect(isRetryableStatus(503, "POST")).toBe(true);
		expect(isRetryableStatus(500, "POST")).toBe(false);
		expect(isRetryableStatus(500, "PUT")).toBe(true);
		expect(isRetryableStatus(404, "GET")).toBe(false);
	});

	it("backs off exponentially with jitter, capped at a minute", () => {
		expect(backoffMs(1, 500, () => 0)).toBe(250);
		expect(backoffMs(1, 500, () => 1)).toBe(500);
		expect(backoffMs(3, 500, () => 1)).toBe(2000);
		expect(backoffMs(20, 500, () => 1)).toBe(60_000);
	});

	it("sends the version of package.json", () => {
		const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
			version: string;
		};
		expect(SDK_VERSION).toBe(pkg.version);
	});

	it("keeps secrets out of a GraphError's message and graphMessage", () => {
		const error = new GraphError("http_error", "failed: Bearer eyJabc.def.ghi", {
			status: 400,
			method: "GET",
			url: "https://g/me",
			graphMessage: "bad client_secret=hunter2",
		});
		expect(error.message).not.toContain("eyJabc");
		expect(error.graphMessage).toBe("bad client_secret=[redacted]");
	});

	it("consoleLogger prints the chosen level and above to stderr", () => {
		const spy = vi.spyOn(console, "error").mockImplementation(() => {});
		const logger = consoleLogger("warn");
		expect(logger.debug).toBeUndefined();
		logger.warn?.("careful", { status: 429 });
		expect(spy).toHaveBeenCalledWith('[o365] warn: careful {"status":429}');
	});
});
