import { PassThrough } from "node:stream";
import { Account, consoleConsent, MemoryTokenBackend, O365Error } from "@o365/core";
import { describe, expect, it } from "vitest";
import { PUBLIC_APP, REDIRECT_URI, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";

const platform = useFakePlatform();

function publicAccount(backend = new MemoryTokenBackend()) {
	const idp = platform();
	return new Account(PUBLIC_APP.clientId, {
		authFlowType: "public",
		tenantId: idp.tenantId,
		tokenBackend: backend,
		redirectUri: REDIRECT_URI,
		...idp.msalConfig(),
	});
}

function collect(stream: PassThrough): () => string {
	let text = "";
	stream.on("data", (chunk: Buffer) => {
		text += chunk.toString();
	});
	return () => text;
}

describe("account.authenticate()", () => {
	it("signs in a public client (no secret, PKCE) through a consent handler", async () => {
		const account = publicAccount();
		const consented = await account.authenticate({
			scopes: ["basic", "calendar"],
			handleConsent: (url) => platform().browser.signIn(url, { username: "megan@contoso.test" }),
		});
		expect(consented).toBe(true);
		expect(account.username).toBe("megan@contoso.test");
		const grant = platform().tokenRequests("authorization_code").at(-1);
		expect(grant?.clientId).toBe(PUBLIC_APP.clientId);
		expect(grant?.form.client_secret).toBeUndefined();
		expect(grant?.form.code_verifier).toBe("[redacted]");
		expect(platform().verifyAccessToken(await account.con.getAccessToken())).toBeDefined();
	});

	it("runs the console flow: prints the URL, reads the pasted redirect URL", async () => {
		const input = new PassThrough();
		const output = new PassThrough();
		const printed = collect(output);
		const account = publicAccount();
		const signingIn = account.authenticate({
			scopes: "basic",
			handleConsent: consoleConsent({ input, output }),
			output,
		});
		// the "user" reads the URL from the console, consents in a browser and pastes the result
		const url = await new Promise<string>((resolve) => {
			output.on("data", () => {
				const match = /https?:\/\/\S+authorize\S+/.exec(printed());
				if (match) resolve(match[0]);
			});
		});
		input.write(`${await platform().browser.signIn(url)}\n`);
		expect(await signingIn).toBe(true);
		expect(printed()).toContain("Visit the following url to give consent:");
		expect(printed()).toContain("Paste the authenticated url here:");
		expect(printed()).toContain("Authentication Flow Completed.");
	});

	it("returns false when the user pastes nothing", async () => {
		const input = new PassThrough();
		const output = new PassThrough();
		const printed = collect(output);
		const signingIn = publicAccount().authenticate({
			scopes: "basic",
			handleConsent: consoleConsent({ input, output }),
			output,
		});
		input.write("\n");
		expect(await signingIn).toBe(false);
		expect(printed()).toContain("Authentication Flow aborted.");
	});

	it("gives up with consent_timeout when nobody answers in time", async () => {
		const input = new PassThrough();
		const error = (await publicAccount()
			.authenticate({
				scopes: "basic",
				handleConsent: consoleConsent({ input, output: new PassThrough() }),
				consentTimeoutMs: 50,
			})
			.catch((e: unknown) => e)) as O365Error;
		expect(error).toBeInstanceOf(O365Error);
		expect(error.code).toBe("consent_timeout");
	});

	it("stops waiting at once when its signal aborts", async () => {
		const controller = new AbortController();
		const signingIn = publicAccount().authenticate({
			scopes: "basic",
			handleConsent: () => new Promise<string>(() => {}),
			signal: controller.signal,
		});
		controller.abort();
		await expect(signingIn).rejects.toMatchObject({ code: "aborted" });
	});

	it("requires explicit scopes for user flows", async () => {
		await expect(publicAccount().authenticate({ handleConsent: () => null })).rejects.toMatchObject({
			code: "invalid_scopes",
		});
	});

	it("a web app's stored token survives into a new Account (sign in silently)", async () => {
		const backend = new MemoryTokenBackend();
		const idp = platform();
		const options = {
			tenantId: idp.tenantId,
			tokenBackend: backend,
			redirectUri: REDIRECT_URI,
			...idp.msalConfig(),
		};
		const first = new Account([WEB_APP.clientId, WEB_APP.clientSecret], options);
		await first.authenticate({ scopes: ["basic"], handleConsent: (url) => idp.browser.signIn(url) });
		idp.clearRequests();
		const again = new Account([WEB_APP.clientId, WEB_APP.clientSecret], options);
		expect(await again.isAuthenticated()).toBe(true);
		await again.con.getAccessToken();
		expect(idp.tokenRequests()).toHaveLength(0);
	});
});
