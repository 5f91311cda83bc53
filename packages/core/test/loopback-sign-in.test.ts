import { request } from "node:http";
import { createServer } from "node:net";
import { PassThrough } from "node:stream";
import { inspect } from "node:util";
import { Account, type BrowserOpener, MemoryTokenBackend } from "@o365/core";
import { describe, expect, it } from "vitest";
import { PUBLIC_APP, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";

const platform = useFakePlatform({
	clients: [
		{ clientId: "web-loopback", clientSecret: "web-loopback-secret-42", redirectUris: ["http://localhost"] },
	],
});

function account(kind: "public" | "authorization" = "public", backend = new MemoryTokenBackend()) {
	const idp = platform();
	const options = { tenantId: idp.tenantId, tokenBackend: backend, ...idp.msalConfig() };
	return kind === "public"
		? new Account(PUBLIC_APP.clientId, { ...options, authFlowType: "public" })
		: new Account(["web-loopback", "web-loopback-secret-42"], options);
}

/** A GET to the loopback server, as a browser (or a forger) would send it. */
function get(url: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		target.hostname = "127.0.0.1"; // the server binds 127.0.0.1 only
		request(target, { agent: false }, (res) => {
			let body = "";
			res.on("data", (chunk: Buffer) => {
				body += chunk.toString();
			});
			res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
		})
			.on("error", reject)
			.end();
	});
}

/** An opener that remembers the URL and lets the test act as the browser. */
function capturingOpener() {
	let resolveUrl: (url: string) => void = () => {};
	const opened = new Promise<string>((resolve) => {
		resolveUrl = resolve;
	});
	const openBrowser: BrowserOpener = (url) => {
		resolveUrl(url);
		return true;
	};
	return { openBrowser, opened };
}

const redirectUriOf = (authorizeUrl: string) => new URL(authorizeUrl).searchParams.get("redirect_uri") ?? "";

async function expectClosed(redirectUri: string) {
	await expect(get(`${redirectUri}/?code=x&state=y`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
}

describe("authenticate({ method: 'loopback' })", () => {
	it.each(["public", "authorization"] as const)(
		"signs a user in (%s flow) through the test kit's browser, and closes its server",
		async (kind) => {
			const backend = new MemoryTokenBackend();
			let authorizeUrl = "";
			const signingIn = account(kind, backend);
			const signedIn = await signingIn.authenticate({
				scopes: ["basic"],
				method: "loopback",
				openBrowser: async (url) => {
					authorizeUrl = url;
					await platform().browser.openBrowser(url);
					return true;
				},
			});
			expect(signedIn).toBe(true);
			expect(signingIn.username).toBe("adele@contoso.test");
			const query = new URL(authorizeUrl).searchParams;
			expect(query.get("redirect_uri")).toMatch(/^http:\/\/localhost:\d+$/);
			expect(query.get("code_challenge_method")).toBe("S256");
			expect(query.get("state")).toBeTruthy();
			await expectClosed(redirectUriOf(authorizeUrl));
			// refreshes silently afterwards, from the stored token
			const later = account(kind, backend);
			await later.con.refreshToken();
			expect(platform().verifyAccessToken(await later.con.getAccessToken())?.preferred_username).toBe(
				"adele@contoso.test",
			);
		},
	);

	it("shows the success page, replaceable, once the code is redeemed", async () => {
		const { openBrowser, opened } = capturingOpener();
		const signingIn = account().authenticate({
			scopes: "basic",
			method: "loopback",
			openBrowser,
			successPage: "<p>All done, custom</p>",
		});
		const redirected = await platform().browser.signIn(await opened);
		const page = await get(redirected);
		expect(page).toEqual({ status: 200, body: "<p>All done, custom</p>" });
		expect(await signingIn).toBe(true);
	});

	it("rejects a forged redirect with state_mismatch, escaping what it echoes", async () => {
		const { openBrowser, opened } = capturingOpener();
		const signingIn = account().authenticate({ scopes: "basic", method: "loopback", openBrowser });
		signingIn.catch(() => {});
		const redirectUri = redirectUriOf(await opened);
		const page = await get(`${redirectUri}/?code=stolen&state=%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
		expect(page.status).toBe(400);
		expect(page.body).not.toContain("<script>");
		await expect(signingIn).rejects.toMatchObject({ name: "AuthenticationError", code: "state_mismatch" });
		expect(
			platform()
				.tokenRequests("authorization_code")
				.some((r) => r.form.code === "stolen"),
		).toBe(false);
		await expectClosed(redirectUri);
	});

	it("rejects with authorization_denied when the user declines, showing the error page", async () => {
		const { openBrowser, opened } = capturingOpener();
		const signingIn = account("authorization").authenticate({
			scopes: "basic",
			method: "loopback",
			openBrowser,
			errorPage: ({ error }) => `<p>custom ${error.replace(/</g, "&lt;")}</p>`,
		});
		signingIn.catch(() => {});
		const redirected = await platform().browser.signIn(await opened, { consent: false });
		const page = await get(redirected);
		expect(page).toEqual({ status: 400, body: "<p>custom access_denied</p>" });
		const error = await signingIn.catch((e: unknown) => e);
		expect(error).toMatchObject({ code: "authorization_denied", providerError: { error: "access_denied" } });
		expect(inspect(error, { depth: 10 })).not.toContain("web-loopback-secret-42");
	});

	it("answers 404 to other paths and keeps waiting", async () => {
		const { openBrowser, opened } = capturingOpener();
		const signingIn = account().authenticate({ scopes: "basic", method: "loopback", openBrowser });
		const url = await opened;
		expect((await get(`${redirectUriOf(url)}/favicon.ico`)).status).toBe(404);
		expect((await get(`${redirectUriOf(url)}/`)).status).toBe(400);
		await get(await platform().browser.signIn(url));
		expect(await signingIn).toBe(true);
	});

	it("gives up with consent_timeout and closes its server", async () => {
		const { openBrowser, opened } = capturingOpener();
		const signingIn = account().authenticate({
			scopes: "basic",
			method: "loopback",
			openBrowser,
			consentTimeoutMs: 150,
		});
		signingIn.catch(() => {});
		const redirectUri = redirectUriOf(await opened);
		await expect(signingIn).rejects.toMatchObject({ name: "AuthenticationError", code: "consent_timeout" });
		await expectClosed(redirectUri);
	});

	it("stops at once when aborted and closes its server", async () => {
		const controller = new AbortController();
		const { openBrowser, opened } = capturingOpener();
		const signingIn = account().authenticate({
			scopes: "basic",
			method: "loopback",
			openBrowser,
			signal: controller.signal,
		});
		signingIn.catch(() => {});
		const redirectUri = redirectUriOf(await opened);
		controller.abort();
		await expect(signingIn).rejects.toMatchObject({ code: "aborted" });
		await expectClosed(redirectUri);
	});

	it("listens on the given port", async () => {
		const port = await new Promise<number>((resolve) => {
			const probe = createServer().listen(0, "127.0.0.1", () => {
				const { port: free } = probe.address() as { port: number };
				probe.close(() => resolve(free));
			});
		});
		let authorizeUrl = "";
		await account().authenticate({
			scopes: "basic",
			method: "loopback",
			port,
			openBrowser: async (url) => {
				authorizeUrl = url;
				await platform().browser.openBrowser(url);
			},
		});
		expect(redirectUriOf(authorizeUrl)).toBe(`http://localhost:${port}`);
	});

	it("prints the URL when the browser cannot be opened (openBrowser false or null)", async () => {
		for (const openBrowser of [() => false, null]) {
			const output = new PassThrough();
			let printed = "";
			const url = new Promise<string>((resolve) => {
				output.on("data", (chunk: Buffer) => {
					printed += chunk.toString();
					const match = /https?:\/\/\S+authorize\S+/.exec(printed);
					if (match) resolve(match[0]);
				});
			});
			const signingIn = account().authenticate({ scopes: "basic", method: "loopback", openBrowser, output });
			await get(await platform().browser.signIn(await url));
			expect(await signingIn).toBe(true);
			expect(printed).toMatch(
				/^To sign in, open this URL in a browser:\nhttp:\/\/127\.0\.0\.1:\d+\/\S+authorize\?\S+\n$/,
			);
		}
	});

	it("falls back to printing the URL when the platform's opener is missing (default openBrowser)", async () => {
		const path = process.env.PATH;
		process.env.PATH = ""; // no xdg-open / open / cmd to find: the default opener resolves false
		try {
			const output = new PassThrough();
			let printed = "";
			const url = new Promise<string>((resolve) => {
				output.on("data", (chunk: Buffer) => {
					printed += chunk.toString();
					const match = /https?:\/\/\S+authorize\S+/.exec(printed);
					if (match) resolve(match[0]);
				});
			});
			const signingIn = account().authenticate({ scopes: "basic", method: "loopback", output });
			await get(await platform().browser.signIn(await url));
			expect(await signingIn).toBe(true);
			expect(printed).toContain("To sign in, open this URL in a browser:");
		} finally {
			process.env.PATH = path;
		}
	});

	it("refuses a port already in use with a typed error", async () => {
		const busy = createServer();
		await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
		try {
			const { port } = busy.address() as { port: number };
			await expect(
				account().authenticate({
					scopes: "basic",
					method: "loopback",
					port,
					openBrowser: null,
					output: null,
				}),
			).rejects.toMatchObject({ code: "invalid_option" });
		} finally {
			await new Promise((resolve) => busy.close(resolve));
		}
	});

	it("refuses an invalid port", async () => {
		await expect(
			account().authenticate({ scopes: "basic", method: "loopback", port: 70000 }),
		).rejects.toMatchObject({ code: "invalid_option" });
	});
});

describe("authenticate() console method", () => {
	it("warns once that the nativeclient page may break, pointing to deviceCode and loopback", async () => {
		const idp = platform();
		const nativeAccount = new Account(PUBLIC_APP.clientId, {
			authFlowType: "public",
			tenantId: idp.tenantId,
			...idp.msalConfig(),
		});
		const texts: string[] = [];
		for (let i = 0; i < 2; i += 1) {
			const output = new PassThrough();
			let printed = "";
			output.on("data", (chunk: Buffer) => {
				printed += chunk.toString();
			});
			await nativeAccount.authenticate({ scopes: "basic", output, handleConsent: () => null });
			texts.push(printed);
		}
		expect(texts[0]).toContain("nativeclient");
		expect(texts[0]).toContain('method: "deviceCode"');
		expect(texts[0]).toContain('method: "loopback"');
		expect(texts[1]).not.toContain("nativeclient");
		expect(WEB_APP.clientId).toBeTruthy();
	});
});
