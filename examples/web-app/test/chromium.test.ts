import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type TestBrowser } from "./chromium.js";

let browser: TestBrowser;

beforeAll(async () => {
	browser = await launchChromium();
});

afterAll(async () => {
	await browser?.close();
});

describe("the test browser (Debian's Chromium, loopback only)", () => {
	it("cannot reach a host name or an address off loopback, and reports both as off loopback", async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		// Neither leaves the machine: names resolve to nothing, and everything else goes to a dead proxy port.
		await expect(page.goto("http://example.com/")).rejects.toThrow(/net::ERR_/);
		await expect(page.goto("http://192.0.2.1/")).rejects.toThrow(/net::ERR_/);
		expect(browser.offLoopback()).toEqual(["http://example.com/", "http://192.0.2.1/"]);
		await context.close();
	});
});
