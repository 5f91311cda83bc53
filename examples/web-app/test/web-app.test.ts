import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS, type RunningWebApp, startWebApp } from "../src/index.js";
import { launchChromium, screenshot, type TestBrowser } from "./chromium.js";

const OUTPUT = fileURLToPath(new URL("../test-output/web-app", import.meta.url));
const [ADELE] = DEMO_USERS;

let app: RunningWebApp;
let browser: TestBrowser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	// No O365_* variables: the app starts the test kit's identity platform (on 127.0.0.1) and fake Graph.
	app = await startWebApp({ env: {}, port: 0 });
	browser = await launchChromium();
});

afterAll(async () => {
	for (const context of contexts) await context.close();
	await browser?.close();
	await app?.close();
});

async function newPage(): Promise<Page> {
	const context = await browser.newContext();
	contexts.push(context);
	return context.newPage();
}

function idp() {
	const fake = app.identity.fake;
	if (!fake) throw new Error("the test needs the fake identity platform");
	return fake.idp;
}

/** Opens /login and waits for the test kit's sign-in form, on the identity platform's origin. */
async function openSignInForm(page: Page): Promise<void> {
	await page.goto(`${app.url}/login`);
	await page.waitForSelector("#username");
	expect(new URL(page.url()).origin).toBe(idp().origin);
}

/** Waits for the page after sign-in; fails with the app's error page when that is what came. */
async function expectSignedIn(page: Page): Promise<void> {
	await page.waitForSelector("#display-name, #error-title");
	const error = await page.$("#error-title");
	if (error) expect.fail(`sign-in ended on an error page: ${await page.textContent("body")}`);
}

describe("the web app in headless Chromium (app on localhost, identity platform on 127.0.0.1)", () => {
	it("runs the app and the identity platform on different sites", () => {
		expect(new URL(app.url).hostname).toBe("localhost");
		expect(new URL(idp().origin).hostname).toBe("127.0.0.1");
	});

	it("signs in by clicking through the sign-in page and shows the display name from GET /me", async () => {
		const page = await newPage();
		await page.goto(app.url);
		await screenshot(page, OUTPUT, "1-signed-out");
		await page.click("#sign-in");
		await page.waitForSelector("#username");
		expect(new URL(page.url()).origin).toBe(idp().origin);
		const [sessionBefore] = await page.context().cookies(app.url);
		expect(sessionBefore).toMatchObject({ name: "o365.sid", sameSite: "Lax", httpOnly: true });
		await screenshot(page, OUTPUT, "2-sign-in-form");

		// a wrong password: the form again, with an error
		await page.fill("#username", ADELE.username);
		await page.fill("#password", "not-the-password");
		await page.click("#accept");
		await page.waitForSelector("#signin-error");
		expect(await page.textContent("#signin-error")).toContain("password is incorrect");
		await screenshot(page, OUTPUT, "3-wrong-password");

		const callbacks: string[] = [];
		page.on("request", (request) => {
			if (request.url().startsWith(`${app.url}/callback`)) callbacks.push(request.url());
		});
		await page.fill("#password", ADELE.password);
		const [callback] = await Promise.all([
			page.waitForRequest((request) => request.url().startsWith(`${app.url}/callback`)),
			page.click("#accept"),
		]);
		await expectSignedIn(page);
		// the browser sent the session cookie with the identity platform's cross-site top-level GET
		expect((await callback.allHeaders()).cookie).toContain(`o365.sid=${sessionBefore?.value}`);
		expect(page.url()).toBe(`${app.url}/`);
		expect(await page.textContent("#display-name")).toBe(ADELE.name);
		expect(await page.textContent("#upn")).toBe(ADELE.username);
		await screenshot(page, OUTPUT, "4-signed-in");

		// the code came back in the query, with the session cookie (SameSite=Lax on a top-level GET)
		expect(callbacks).toHaveLength(1);
		expect(new URL(callbacks[0] ?? "").searchParams.get("code")).toBeTruthy();
		expect(idp().tokenRequests("authorization_code").at(-1)?.status).toBe(200);
		// a new session id after sign-in
		const [sessionAfter] = await page.context().cookies(app.url);
		expect(sessionAfter?.name).toBe("o365.sid");
		expect(sessionAfter?.value).not.toBe(sessionBefore?.value);

		// the flow was used once: replaying the callback is refused, and the user stays signed in
		const replay = await page.goto(callbacks[0] ?? "");
		expect(replay?.status()).toBe(400);
		expect(await page.textContent("#error-title")).toBe("No sign-in in progress");
		await page.goto(app.url);
		expect(await page.textContent("#display-name")).toBe(ADELE.name);

		// a link (GET) to /logout signs nobody out: it shows the button, which POSTs
		await page.goto(`${app.url}/logout`);
		await page.goto(app.url);
		expect(await page.textContent("#display-name")).toBe(ADELE.name);
		await page.goto(`${app.url}/logout`);
		await page.click("#sign-out");
		await page.waitForSelector("#sign-in");
		expect(await page.context().cookies(app.url)).toEqual([]);
		await screenshot(page, OUTPUT, "5-signed-out-again");
	});

	it("shows a clear 400 error page for a forged state, and spends no code", async () => {
		const page = await newPage();
		await openSignInForm(page);
		const redeemed = idp().tokenRequests("authorization_code").length;
		const forged = await page.goto(`${app.url}/callback?code=x&state=forged`);
		expect(forged?.status()).toBe(400);
		expect(await page.textContent("#error-title")).toBe("Sign-in could not be completed");
		expect(await page.textContent("#error")).toContain("does not belong to the sign-in this browser started");
		const body = (await page.textContent("body")) ?? "";
		expect(body).not.toMatch(/\bat .+\.(ts|js):\d+|Error:/);
		expect(idp().tokenRequests("authorization_code")).toHaveLength(redeemed);
		await screenshot(page, OUTPUT, "6-forged-state");

		// the forged callback used up this browser's sign-in: finishing it now is refused too
		await page.goBack();
		await page.fill("#username", ADELE.username);
		await page.fill("#password", ADELE.password);
		await page.click("#accept");
		await page.waitForSelector("#display-name, #error-title");
		expect(await page.textContent("#error-title")).toBe("No sign-in in progress");

		// and without any sign-in started in this browser
		const fresh = await newPage();
		const noFlow = await fresh.goto(`${app.url}/callback?code=x&state=forged`);
		expect(noFlow?.status()).toBe(400);
		expect(await fresh.textContent("#error-title")).toBe("No sign-in in progress");
	});

	it("shows a clear 403 error page when the user declines consent", async () => {
		const page = await newPage();
		await openSignInForm(page);
		await page.fill("#username", ADELE.username);
		const [callback] = await Promise.all([
			page.waitForResponse((response) => response.url().startsWith(`${app.url}/callback`)),
			page.click("#decline"),
		]);
		expect(callback.status()).toBe(403);
		expect(new URL(callback.url()).searchParams.get("error")).toBe("access_denied");
		await page.waitForSelector("#error-title");
		expect(await page.textContent("#error-title")).toBe("Sign-in declined");
		expect(await page.textContent("#error")).toContain("You declined");
		await screenshot(page, OUTPUT, "7-declined");
		await page.goto(app.url);
		expect(await page.$("#sign-in")).not.toBeNull();
	});

	it("shows why the app uses response_mode=query: the Lax session cookie does not come with a form_post", async () => {
		const page = await newPage();
		await openSignInForm(page);
		// the same sign-in, had the app asked for form_post: the identity platform's page POSTs to /callback
		const formPost = new URL(page.url());
		formPost.searchParams.set("response_mode", "form_post");
		await page.goto(formPost.toString());
		await page.fill("#username", ADELE.username);
		await page.fill("#password", ADELE.password);
		const [post] = await Promise.all([
			page.waitForRequest(
				(request) => request.method() === "POST" && request.url().startsWith(`${app.url}/callback`),
			),
			page.click("#accept"),
		]);
		expect(new URLSearchParams(post.postData() ?? "").get("code")).toBeTruthy();
		const [cookie] = await page.context().cookies(app.url);
		expect(cookie?.name).toBe("o365.sid");
		expect((await post.allHeaders()).cookie).toBeUndefined();
	});

	it("made no request off loopback", () => {
		expect(browser.requestedUrls.length).toBeGreaterThan(10);
		expect(browser.offLoopback()).toEqual([]);
	});
});
