/**
 * The sign-in page a real browser gets from the authorize endpoint: a form with a username, a password, a
 * "Sign in and consent" button and a "Decline" button, posted back to the authorize endpoint.
 *
 * A request is a page request when it asks for HTML (`Accept: text/html`, as every browser navigation does) and
 * carries none of the scripted browser's `fake_*` choices; the scripted path is untouched. The OAuth parameters
 * travel in hidden fields, so the answer to the form is an ordinary authorize request plus the user's choice.
 */
import { OAuthError } from "../errors.js";
import { escapeHtml, html, type Reply, type RouteRequest } from "../http.js";
import type { ServerState } from "../state.js";
import type { FakeUser } from "../types.js";

/** Form fields of the page; the `signin_` prefix keeps them apart from OAuth parameters. */
const USERNAME_FIELD = "signin_username";
const PASSWORD_FIELD = "signin_password";
const ACTION_FIELD = "signin_action";

/** What the authorize endpoint does next: answer with the page, or go on with a signed-in user. */
export type SignInPageStep = { page: Reply } | { user: FakeUser } | undefined;

function wantsPage(request: RouteRequest, params: Record<string, string>): boolean {
	if (ACTION_FIELD in params) return true;
	const scripted = Object.keys(params).some((name) => name.startsWith("fake_"));
	return !scripted && /\btext\/html\b/i.test(request.accept ?? "");
}

function renderPage(
	request: RouteRequest,
	params: Record<string, string>,
	username: string,
	error: string | undefined,
): Reply {
	const hidden = Object.entries(params)
		.filter(([name]) => !name.startsWith("signin_") && !name.startsWith("fake_"))
		.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
		.join("");
	const action = `/${encodeURIComponent(request.tenant)}/oauth2/v2.0/authorize`;
	const client = params.client_id ?? "";
	const scopes = (params.scope ?? "").split(" ").filter(Boolean);
	const body = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto}label,input,button{display:block;margin:.4rem 0}
#signin-error{color:#a4262c}</style></head>
<body><h1>Sign in</h1>
<p>The application <strong id="client">${escapeHtml(client)}</strong> asks to sign you in and to access:</p>
<ul id="scopes">${scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join("")}</ul>
${error === undefined ? "" : `<p id="signin-error" role="alert">${escapeHtml(error)}</p>`}
<form method="POST" action="${escapeHtml(action)}">${hidden}
<label for="username">Email or username</label>
<input id="username" name="${USERNAME_FIELD}" type="text" autocomplete="username" value="${escapeHtml(username)}">
<label for="password">Password</label>
<input id="password" name="${PASSWORD_FIELD}" type="password" autocomplete="current-password">
<button id="accept" type="submit" name="${ACTION_FIELD}" value="accept">Sign in and accept</button>
<button id="decline" type="submit" name="${ACTION_FIELD}" value="decline">Decline</button>
</form></body></html>`;
	return html(200, body);
}

/**
 * The page's part of an authorize request, called once the client, redirect URI, scopes and PKCE were checked:
 * - not a page request (the scripted browser, or no `Accept: text/html`): `undefined`;
 * - a browser's GET: the form (the username pre-filled from `login_hint`);
 * - "Decline": throws `access_denied` (AADSTS65004), which the endpoint sends to the redirect URI;
 * - an unknown user or a wrong password (users registered without one accept any): the form again, with an error;
 * - otherwise: the signed-in user.
 */
export function signInPageStep(
	state: ServerState,
	request: RouteRequest,
	params: Record<string, string>,
): SignInPageStep {
	if (!wantsPage(request, params)) return undefined;
	const action = params[ACTION_FIELD];
	const username = (params[USERNAME_FIELD] ?? params.login_hint ?? "").trim();
	if (action === undefined) return { page: renderPage(request, params, username, undefined) };
	if (action === "decline") {
		throw new OAuthError(400, "access_denied", "AADSTS65004: User declined to consent to access the app.");
	}
	const user = state.registry.findUser(username);
	if (!user) {
		const error =
			username === ""
				? "Enter a valid email address, phone number, or Skype name."
				: "This username may be incorrect. Make sure you typed it correctly.";
		return { page: renderPage(request, params, username, error) };
	}
	if (user.password !== undefined && params[PASSWORD_FIELD] !== user.password) {
		return { page: renderPage(request, params, username, "Your account or password is incorrect.") };
	}
	return { user };
}
