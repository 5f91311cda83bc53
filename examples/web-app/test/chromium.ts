/**
 * Debian's Chromium, headless, driven by playwright-core (which downloads no browser of its own).
 *
 * Chromium may reach loopback only: every other host name resolves to nothing, and anything else goes to a
 * proxy on a dead port. The pages' requests are recorded so that a test can assert it.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Override with O365_TEST_CHROMIUM to use another Chromium build. */
export const CHROMIUM_PATH = process.env.O365_TEST_CHROMIUM || "/usr/bin/chromium";

/** Port 9 (discard) on loopback: nothing listens, so a proxied request fails at once. */
const DEAD_PROXY = "http://127.0.0.1:9";

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

export interface TestBrowser {
	browser: Browser;
	/** Every URL a page of any context requested (http, https, ws…; data: and about: left out). */
	readonly requestedUrls: string[];
	/**
	 * The requested URLs whose host is not loopback (should stay empty), each once, in the order
	 * first requested: Chromium may request a URL again after its connection fails, so one
	 * navigation can show as two requests.
	 */
	offLoopback(): string[];
	newContext(): Promise<BrowserContext>;
	close(): Promise<void>;
}

/** Launches Chromium; throws, naming the package to install, when it is missing. */
export async function launchChromium(): Promise<TestBrowser> {
	if (!existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`Chromium is not installed at ${CHROMIUM_PATH}; this test drives a real browser. Install Debian's: apt-get install chromium (or set O365_TEST_CHROMIUM to a Chromium binary).`,
		);
	}
	// playwright-core starts Chromium with a new, empty --user-data-dir of its own (removed on close).
	const browser = await chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: [
			"--headless",
			"--no-sandbox",
			"--disable-gpu",
			"--disable-quic",
			"--no-first-run",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
			"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
			`--proxy-server=${DEAD_PROXY}`,
			"--proxy-bypass-list=localhost;127.0.0.1;[::1]",
		],
	});
	const requestedUrls: string[] = [];
	return {
		browser,
		requestedUrls,
		offLoopback: () => [
			...new Set(requestedUrls.filter((url) => !LOOPBACK_HOSTS.has(new URL(url).host.replace(/:\d+$/, "")))),
		],
		newContext: async () => {
			const context = await browser.newContext();
			context.on("request", (request) => {
				const url = request.url();
				if (!/^(data|about|blob):/.test(url)) requestedUrls.push(url);
			});
			return context;
		},
		close: () => browser.close(),
	};
}

/** Saves a full-page screenshot as `<folder>/<name>.png`. */
export async function screenshot(page: Page, folder: string, name: string): Promise<void> {
	await mkdir(folder, { recursive: true });
	await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}
