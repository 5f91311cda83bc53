/**
 * A scripted user agent: follows an authorize URL as a signed-in user would, and delivers the answer.
 *
 * It speaks only to loopback addresses, with `node:http`, so it can never reach a real identity provider.
 */
import { request as httpRequest } from "node:http";
import { TestkitError } from "./errors.js";
import { isLoopbackHost } from "./loopback.js";

/** How the scripted user behaves on the sign-in page. */
export interface SignInOptions {
	/** Who signs in (sent as `fake_user`). @default the authorize URL's `login_hint`, else the first registered user */
	username?: string;
	/** Whether the user accepts the consent prompt; `false` makes the fake redirect with `error=access_denied`. @default true */
	consent?: boolean;
	/** Password typed by the user, needed for users registered with one (sent in a POST body, never in the URL). @default undefined */
	password?: string;
}

/** How the scripted user answers on `/devicelogin`. */
export interface DeviceLoginOptions {
	/** Who signs in. @default the first registered user */
	username?: string;
	/** Password typed, needed for users registered with one. @default undefined */
	password?: string;
	/** Whether the user accepts; `false` presses "Decline". @default true */
	consent?: boolean;
}

/** The scripted browser of a fake identity platform. */
export interface FakeBrowser {
	/**
	 * Opens an authorize URL and signs in.
	 * - `response_mode=query` (or `fragment`): resolves with the URL the identity platform redirected to, carrying
	 *   `code` and `state` (or `error` and `error_description`). That URL is not opened.
	 * - `response_mode=form_post`: POSTs the form to the redirect URI (e.g. msal-node's loopback server), resolves
	 *   once that POST is answered, with the redirect URI plus the posted fields as its query string.
	 * Rejects with a `TestkitError` (`browser_failed`) when the identity platform shows an error page (unknown client,
	 * unregistered redirect URI), when a URL is not loopback, or when the form POST is refused.
	 */
	signIn(authorizeUrl: string, options?: SignInOptions): Promise<string>;
	/**
	 * An `openBrowser` callback (msal-node's `acquireTokenInteractive`, `@o365/core`'s loopback sign-in): signs in
	 * the default user, consenting, and delivers the answer to the redirect URI: the form POST for `form_post`, a GET
	 * of the redirected URL for `query` when it is on a loopback address. Resolves once the redirect URI
	 * answered, whatever its status (a browser shows the page).
	 */
	openBrowser: (url: string) => Promise<void>;
	/**
	 * Completes a device code sign-in over HTTP as a user would: opens `/devicelogin`, types `userCode`, the user name
	 * and password, and presses "Accept" (or "Decline" when `consent` is `false`). Rejects with `browser_failed` when
	 * the page shows an error (unknown or expired code, wrong password).
	 */
	completeDeviceCode(userCode: string, options?: DeviceLoginOptions): Promise<void>;
}

interface HttpResult {
	status: number;
	location: string | undefined;
	body: string;
}

function assertLoopback(url: URL): void {
	if (url.protocol !== "http:" || !isLoopbackHost(url.hostname)) {
		throw new TestkitError(
			"browser_failed",
			`The fake browser only opens http URLs on loopback addresses; refused ${url.origin}.`,
		);
	}
}

function send(url: URL, method: "GET" | "POST", form?: URLSearchParams): Promise<HttpResult> {
	assertLoopback(url);
	const body = form?.toString();
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			url,
			{
				method,
				agent: false, // no keep-alive: nothing outlives the sign-in
				headers: body === undefined ? {} : { "Content-Type": "application/x-www-form-urlencoded" },
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on("data", (chunk: Buffer) => chunks.push(chunk));
				res.on("end", () =>
					resolve({
						status: res.statusCode ?? 0,
						location: res.headers.location,
						body: Buffer.concat(chunks).toString("utf8"),
					}),
				);
				res.on("error", reject);
			},
		);
		req.on("error", (cause) =>
			reject(new TestkitError("browser_failed", `Could not reach ${url.origin}.`, { cause })),
		);
		req.end(body);
	});
}

function decodeHtml(value: string): string {
	const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
	return value.replace(/&(#\d+|[a-z]+);/gi, (entity, name: string) =>
		name.startsWith("#") ? String.fromCharCode(Number(name.slice(1))) : (named[name.toLowerCase()] ?? entity),
	);
}

function attribute(tag: string, name: string): string | undefined {
	const value = new RegExp(`\\b${name}="([^"]*)"`, "i").exec(tag)?.[1];
	return value === undefined ? undefined : decodeHtml(value);
}

/** The auto-submit form of a `form_post` answer, if the page is one. */
function parseAutoSubmitForm(page: string): { action: string; fields: URLSearchParams } | undefined {
	const formTag = /<form\b[^>]*method="post"[^>]*>/i.exec(page)?.[0];
	const action = formTag === undefined ? undefined : attribute(formTag, "action");
	if (action === undefined) return undefined;
	const fields = new URLSearchParams();
	for (const [input] of page.matchAll(/<input\b[^>]*type="hidden"[^>]*>/gi)) {
		const name = attribute(input, "name");
		if (name !== undefined) fields.append(name, attribute(input, "value") ?? "");
	}
	return { action, fields };
}

async function signIn(authorizeUrl: string, options: SignInOptions = {}): Promise<string> {
	const url = new URL(authorizeUrl);
	const choices = new URLSearchParams();
	if (options.username !== undefined) choices.set("fake_user", options.username);
	if (options.consent === false) choices.set("fake_consent", "deny");
	let answer: HttpResult;
	if (options.password === undefined) {
		for (const [name, value] of choices) url.searchParams.set(name, value);
		answer = await send(url, "GET");
	} else {
		choices.set("fake_password", options.password);
		answer = await send(url, "POST", choices);
	}
	if (answer.status >= 300 && answer.status < 400 && answer.location !== undefined) {
		return new URL(answer.location, url).toString();
	}
	const form = answer.status === 200 ? parseAutoSubmitForm(answer.body) : undefined;
	if (form) {
		const target = new URL(form.action, url);
		const delivered = await send(target, "POST", form.fields);
		if (delivered.status >= 400) {
			throw new TestkitError(
				"browser_failed",
				`The redirect URI ${target.origin}${target.pathname} refused the form post with HTTP ${delivered.status}: ${delivered.body.slice(0, 200)}`,
			);
		}
		target.search = form.fields.toString();
		return target.toString();
	}
	const shown = /data-description="([^"]*)"/.exec(answer.body)?.[1];
	throw new TestkitError(
		"browser_failed",
		`The sign-in page answered HTTP ${answer.status}: ${shown === undefined ? answer.body.slice(0, 200) : decodeHtml(shown)}`,
	);
}

async function completeDeviceCode(origin: string, userCode: string, options: DeviceLoginOptions = {}) {
	const pageUrl = new URL("/devicelogin", origin);
	const form = await send(pageUrl, "GET");
	const action = /<form\b[^>]*action="([^"]*)"/i.exec(form.body)?.[1];
	if (form.status !== 200 || action === undefined) {
		throw new TestkitError(
			"browser_failed",
			`The device login page answered HTTP ${form.status} without a form.`,
		);
	}
	const fields = new URLSearchParams({
		user_code: userCode,
		action: options.consent === false ? "decline" : "accept",
	});
	if (options.username !== undefined) fields.set("username", options.username);
	if (options.password !== undefined) fields.set("password", options.password);
	const answer = await send(new URL(decodeHtml(action), pageUrl), "POST", fields);
	if (answer.status !== 200 || !/id="result"/.test(answer.body)) {
		const shown = /<p id="error"[^>]*>([^<]*)</.exec(answer.body)?.[1];
		throw new TestkitError(
			"browser_failed",
			`The device login page refused the code (HTTP ${answer.status}): ${shown === undefined ? answer.body.slice(0, 200) : decodeHtml(shown)}`,
		);
	}
}

/** Signs in, then visits the redirect as a browser does; form_post answers were delivered by `signIn` already. */
async function openBrowser(url: string): Promise<void> {
	const landed = new URL(await signIn(url));
	const mode = new URL(url).searchParams.get("response_mode") ?? "query";
	if (mode === "query" && landed.protocol === "http:" && isLoopbackHost(landed.hostname)) {
		await send(landed, "GET");
	}
}

/** @param origin the fake identity platform's origin, where `/devicelogin` is. */
export function createFakeBrowser(origin: string): FakeBrowser {
	return {
		signIn,
		openBrowser,
		completeDeviceCode: (userCode, options) => completeDeviceCode(origin, userCode, options),
	};
}
