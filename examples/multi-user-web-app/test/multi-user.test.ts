import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_USERS, type RunningWebApp, startWebApp } from "@o365/example-web-app";
import { launchChromium, screenshot, type TestBrowser } from "@o365/example-web-app/chromium";
import { startExample } from "@o365/example-web-app/start-command";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileSystemUserTokenStore } from "../src/fs-user-tokens.js";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));
const OUTPUT = join(exampleDir, "test-output", "multi-user-web-app");
const [ADELE, MEGAN] = DEMO_USERS;

let root: string;
let tokens: FileSystemUserTokenStore;
let app: RunningWebApp;
let browser: TestBrowser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	root = await mkdtemp(join(tmpdir(), "o365-web-users-test-"));
	tokens = new FileSystemUserTokenStore(root);
	app = await startWebApp({ env: {}, port: 0, tokens });
	browser = await launchChromium();
});

afterAll(async () => {
	for (const context of contexts) await context.close();
	await browser?.close();
	await app?.close();
	await rm(root, { recursive: true, force: true });
});

/** A new browser context (its own cookies), signed in as `user` by clicking through the sign-in page. */
async function signIn(user: { username: string; password: string }): Promise<Page> {
	const context = await browser.newContext();
	contexts.push(context);
	const page = await context.newPage();
	await page.goto(`${app.url}/login`);
	await page.fill("#username", user.username);
	await page.fill("#password", user.password);
	await page.click("#accept");
	await page.waitForSelector("#display-name, #error-title");
	if (await page.$("#error-title"))
		expect.fail(`sign-in ended on an error page: ${await page.textContent("body")}`);
	return page;
}

/** The usernames of the accounts in a token file. */
async function usernamesIn(folder: string): Promise<string[]> {
	const cache = JSON.parse(await readFile(join(folder, "o365_token.txt"), "utf8")) as {
		Account: Record<string, { username: string }>;
	};
	return Object.values(cache.Account).map((account) => account.username);
}

describe("the multi-user web app: a token folder per signed-in user", () => {
	it("signs two users in from two browser contexts; each sees their own name, each has their own token folder", async () => {
		const adele = await signIn(ADELE);
		const megan = await signIn(MEGAN);
		// both sessions are live at once: reloading asks GET /me again with each user's own token
		await Promise.all([adele.reload(), megan.reload()]);
		expect(await adele.textContent("#display-name")).toBe(ADELE.name);
		expect(await megan.textContent("#display-name")).toBe(MEGAN.name);
		await screenshot(adele, OUTPUT, "adele");
		await screenshot(megan, OUTPUT, "megan");

		const idp = app.identity.fake?.idp;
		const [adeleUser, meganUser] = [ADELE, MEGAN].map((u) =>
			idp?.users.find((x) => x.username === u.username),
		);
		const adeleFolder = tokens.folderFor(`${adeleUser?.oid}.${adeleUser?.tenantId}`);
		const meganFolder = tokens.folderFor(`${meganUser?.oid}.${meganUser?.tenantId}`);
		expect((await readdir(root)).sort()).toEqual(
			[adeleFolder, meganFolder].map((folder) => folder.slice(root.length + 1)).sort(),
		);
		expect(await usernamesIn(adeleFolder)).toEqual([ADELE.username]);
		expect(await usernamesIn(meganFolder)).toEqual([MEGAN.username]);

		// signing Adele out removes her tokens only; Megan stays signed in
		await adele.click("#sign-out");
		await adele.waitForSelector("#sign-in");
		await expect(readFile(join(adeleFolder, "o365_token.txt"))).rejects.toMatchObject({ code: "ENOENT" });
		await megan.reload();
		expect(await megan.textContent("#display-name")).toBe(MEGAN.name);
		expect(browser.offLoopback()).toEqual([]);
	});
});

describe("pnpm --filter @o365/example-multi-user-web-app start", () => {
	it("listens on PORT, names the token folder and stops on SIGTERM", async () => {
		const tokenRoot = await mkdtemp(join(tmpdir(), "o365-web-users-start-"));
		const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", O365_TOKEN_ROOT: tokenRoot };
		delete env.O365_CLIENT_ID;
		const started = await startExample(exampleDir, env);
		try {
			expect(started.output()).toContain(`Each user's tokens are stored in a folder under ${tokenRoot}`);
			const home = await fetch(started.url);
			expect(await home.text()).toContain('id="sign-in"');
		} finally {
			expect(await started.stop()).toBe(0);
			await rm(tokenRoot, { recursive: true, force: true });
		}
	});
});
