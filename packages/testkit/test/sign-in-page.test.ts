import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeIdentityPlatform, startFakeIdentityPlatform } from "../src/index.js";
import { expectNoSecretsRecorded } from "./helpers.js";

const REDIRECT_URI = "http://localhost:3000/callback";
const HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

let idp: FakeIdentityPlatform;

beforeAll(async () => {
	idp = await startFakeIdentityPlatform({
		clients: [{ clientId: "web", clientSecret: "web-secret", redirectUris: [REDIRECT_URI] }],
		users: [
			{ username: "adele@contoso.test", name: "Adele Vance", password: "adele-pw" },
			{ username: "megan@contoso.test" },
		],
	});
});

afterAll(async () => {
	expectNoSecretsRecorded(idp, ["adele-pw", "wrong-pw"]);
	await idp.close();
});

function authorizeUrl(extra: Record<string, string> = {}): string {
	const url = new URL(`${idp.origin}/${idp.tenantId}/oauth2/v2.0/authorize`);
	const params = { client_id: "web", response_type: "code", redirect_uri: REDIRECT_URI, scope: "User.Read" };
	for (const [name, value] of Object.entries({ ...params, state: "st-1", ...extra })) {
		url.searchParams.set(name, value);
	}
	return url.toString();
}

/** What a browser does: GET with Accept: text/html, not following redirects. */
async function openPage(url: string): Promise<Response> {
	return fetch(url, { headers: { Accept: HTML }, redirect: "manual" });
}

/** The hidden fields and the action of the form on a page. */
function readForm(page: string): { action: string; fields: URLSearchParams } {
	const action = /<form method="POST" action="([^"]*)"/.exec(page)?.[1];
	expect(action, "the page has a POST form").toBeDefined();
	const fields = new URLSearchParams();
	for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
		fields.append(decode(name ?? ""), decode(value ?? ""));
	}
	return { action: new URL(decode(action ?? ""), idp.origin).toString(), fields };
}

function decode(text: string): string {
	return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** Submits the form as a click on one of its buttons would. */
async function submit(
	page: string,
	choice: { username?: string; password?: string; action: "accept" | "decline" },
): Promise<Response> {
	const { action, fields } = readForm(page);
	// as a browser does: the username field keeps what the page pre-filled unless the user types another
	const prefilled = /id="username"[^>]*value="([^"]*)"/.exec(page)?.[1] ?? "";
	fields.set("signin_username", choice.username ?? decode(prefilled));
	if (choice.password !== undefined) fields.set("signin_password", choice.password);
	fields.set("signin_action", choice.action);
	return fetch(action, {
		method: "POST",
		headers: { Accept: HTML, "Content-Type": "application/x-www-form-urlencoded" },
		body: fields,
		redirect: "manual",
	});
}

describe("the authorize page for a real browser", () => {
	it("shows a sign-in form with #username, #password, #accept and #decline", async () => {
		const response = await openPage(authorizeUrl({ login_hint: "adele@contoso.test" }));
		expect(response.status).toBe(200);
		expect(response.headers.get("content-type")).toMatch(/^text\/html/);
		const page = await response.text();
		for (const id of ["username", "password", "accept", "decline"]) expect(page).toContain(`id="${id}"`);
		expect(page).toMatch(/id="username"[^>]*value="adele@contoso\.test"/);
		expect(readForm(page).fields.get("state")).toBe("st-1");
	});

	it("redirects with a code and the state after the right password, and the code is redeemable", async () => {
		const page = await (await openPage(authorizeUrl())).text();
		const answer = await submit(page, {
			username: "adele@contoso.test",
			password: "adele-pw",
			action: "accept",
		});
		expect(answer.status).toBe(302);
		const location = new URL(answer.headers.get("location") ?? "");
		expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
		expect(location.searchParams.get("state")).toBe("st-1");
		const code = location.searchParams.get("code");
		expect(code).toBeTruthy();

		const token = await fetch(`${idp.origin}/${idp.tenantId}/oauth2/v2.0/token`, {
			method: "POST",
			body: new URLSearchParams({
				grant_type: "authorization_code",
				client_id: "web",
				client_secret: "web-secret",
				code: code ?? "",
				redirect_uri: REDIRECT_URI,
				scope: "User.Read",
			}),
		});
		expect(token.status).toBe(200);
		const claims = idp.verifyAccessToken(((await token.json()) as { access_token: string }).access_token);
		expect(claims?.preferred_username).toBe("adele@contoso.test");
	});

	it("signs in a user registered without a password with any password", async () => {
		const page = await (await openPage(authorizeUrl())).text();
		const answer = await submit(page, { username: "MEGAN@contoso.test", password: "", action: "accept" });
		expect(answer.status).toBe(302);
		expect(new URL(answer.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
	});

	it("redirects with error=access_denied and a description when the user declines", async () => {
		const page = await (await openPage(authorizeUrl())).text();
		const answer = await submit(page, { username: "adele@contoso.test", action: "decline" });
		expect(answer.status).toBe(302);
		const location = new URL(answer.headers.get("location") ?? "");
		expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
		expect(location.searchParams.get("error")).toBe("access_denied");
		expect(location.searchParams.get("error_description")).toMatch(/AADSTS65004: User declined/);
		expect(location.searchParams.get("state")).toBe("st-1");
		expect(location.searchParams.has("code")).toBe(false);
		expect(idp.requests.at(-1)).toMatchObject({ method: "POST", status: 302, error: "access_denied" });
	});

	it("shows the form again with an error after a wrong password or an unknown user, and no code", async () => {
		const page = await (await openPage(authorizeUrl())).text();
		const wrong = await submit(page, {
			username: "adele@contoso.test",
			password: "wrong-pw",
			action: "accept",
		});
		expect(wrong.status).toBe(200);
		const again = await wrong.text();
		expect(again).toContain('id="signin-error"');
		expect(again).toContain("Your account or password is incorrect.");
		expect(again).toMatch(/id="username"[^>]*value="adele@contoso\.test"/);
		expect(again).not.toContain("wrong-pw");
		expect(idp.requests.at(-1)?.form.signin_password).toBe("[redacted]");

		// the form shown again still works
		const retried = await submit(again, { password: "adele-pw", action: "accept" });
		expect(retried.status).toBe(302);
		expect(new URL(retried.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();

		const unknown = await submit(page, { username: "nobody@contoso.test", password: "x", action: "accept" });
		expect(unknown.status).toBe(200);
		expect(await unknown.text()).toContain("This username may be incorrect.");
	});

	it("escapes every value it writes into the page", async () => {
		const evil = `"><script>alert(1)</script><x y='`;
		const response = await openPage(authorizeUrl({ state: evil, login_hint: evil, nonce: evil }));
		const page = await response.text();
		expect(page).not.toContain("<script>");
		expect(page).not.toContain("</script>");
		expect(page).not.toContain("<x y=");
		expect(readForm(page).fields.get("state")).toBe(evil);

		const answer = await submit(page, { username: evil, password: evil, action: "accept" });
		const again = await answer.text();
		expect(again).not.toContain("<script>");
		expect(again).toContain("This username may be incorrect.");
	});

	it("sends the code by form_post when the app asked for it", async () => {
		const page = await (await openPage(authorizeUrl({ response_mode: "form_post" }))).text();
		const answer = await submit(page, {
			username: "adele@contoso.test",
			password: "adele-pw",
			action: "accept",
		});
		expect(answer.status).toBe(200);
		const posted = await answer.text();
		expect(posted).toContain(`action="${REDIRECT_URI}"`);
		expect(posted).toMatch(/name="code" value="1\./);
	});

	it("keeps Entra's error page for an unknown client or redirect URI, without a form", async () => {
		const unknownClient = await openPage(authorizeUrl({ client_id: "nope" }));
		expect(unknownClient.status).toBe(400);
		const body = await unknownClient.text();
		expect(body).toContain("AADSTS700016");
		expect(body).not.toContain('id="password"');

		const badRedirect = await openPage(authorizeUrl({ redirect_uri: "https://evil.test/cb" }));
		expect(badRedirect.status).toBe(400);
		expect(await badRedirect.text()).toContain("AADSTS50011");
	});

	it("leaves the scripted path alone: fake_* parameters or no Accept: text/html sign in at once", async () => {
		const scripted = await openPage(authorizeUrl({ fake_user: "megan@contoso.test" }));
		expect(scripted.status).toBe(302);
		expect(new URL(scripted.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();

		const noHtml = await fetch(authorizeUrl({ login_hint: "megan@contoso.test" }), { redirect: "manual" });
		expect(noHtml.status).toBe(302);

		const viaBrowser = new URL(await idp.browser.signIn(authorizeUrl(), { password: "adele-pw" }));
		expect(viaBrowser.searchParams.get("code")).toBeTruthy();
	});
});
