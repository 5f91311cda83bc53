/**
 * GET/POST /{tenant}/oauth2/v2.0/authorize: the sign-in page, played by the scripted browser, or shown to a real
 * browser (sign-in-page.ts).
 *
 * The "user" is chosen by the extra parameter `fake_user` (set by `FakeBrowser.signIn`), then `login_hint`,
 * then the first registered user. `fake_consent=deny` plays a user who declines consent, and `fake_password`
 * (sent in a POST body) is checked for users registered with a password.
 */
import { createHash, randomUUID } from "node:crypto";
import { OAuthError } from "../errors.js";
import { escapeHtml, html, type Reply, type RouteRequest, redirect } from "../http.js";
import { redirectUriMatches } from "../loopback.js";
import type { RegisteredClient } from "../registry.js";
import { parseScopes } from "../scopes.js";
import type { ServerState } from "../state.js";
import { clientInfo } from "../tokens.js";
import type { FakeUser } from "../types.js";
import { signInPageStep } from "./sign-in-page.js";

type ResponseMode = "query" | "fragment" | "form_post";

/** An error shown on Entra's own page: the redirect URI cannot be trusted, so nothing is sent back to the app. */
function errorPage(status: number, error: string, description: string): Reply {
	const body = `<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body><h1>Sorry, but we're having trouble signing you in.</h1><p id="error" data-error="${escapeHtml(error)}" data-description="${escapeHtml(description)}">${escapeHtml(description)}</p></body></html>`;
	return { ...html(status, body), error };
}

/** The auto-submitting form Entra serves for `response_mode=form_post`. */
function formPostPage(action: string, fields: Record<string, string>): Reply {
	const inputs = Object.entries(fields)
		.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}" />`)
		.join("");
	const body = `<!DOCTYPE html><html><head><title>Working...</title></head><body><form method="POST" name="hiddenform" action="${escapeHtml(action)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form><script>document.forms[0].submit();</script></body></html>`;
	return html(200, body);
}

function respond(redirectUri: string, mode: ResponseMode, fields: Record<string, string>): Reply {
	if (mode === "form_post") return formPostPage(redirectUri, fields);
	const params = new URLSearchParams(fields).toString();
	if (mode === "fragment") return redirect(`${redirectUri}#${params}`);
	return redirect(`${redirectUri}${redirectUri.includes("?") ? "&" : "?"}${params}`);
}

function checkPkce(client: RegisteredClient, params: Record<string, string>): void {
	const challenge = params.code_challenge;
	if (challenge === undefined) {
		if (client.isPublic) {
			throw new OAuthError(
				400,
				"invalid_request",
				"AADSTS9002325: Proof Key for Code Exchange is required for public clients.",
			);
		}
		return;
	}
	const method = params.code_challenge_method ?? "plain";
	if (method !== "S256" && method !== "plain") {
		throw new OAuthError(
			400,
			"invalid_request",
			`AADSTS501491: Invalid code_challenge_method '${method}'; use S256 or plain.`,
		);
	}
	if (!/^[A-Za-z0-9._~-]{43,128}$/.test(challenge)) {
		throw new OAuthError(400, "invalid_request", "AADSTS501491: Invalid size of Code_Challenge parameter.");
	}
}

function signInUser(state: ServerState, params: Record<string, string>): FakeUser {
	const wanted = params.fake_user ?? params.login_hint;
	const user = wanted === undefined ? state.registry.users[0] : state.registry.findUser(wanted);
	if (!user) {
		const who = wanted ?? "(no user is registered in the fake; pass users or call addUser)";
		throw new OAuthError(
			400,
			"invalid_request",
			`AADSTS50034: The user account ${who} does not exist in the ${state.tenantId} directory. To sign into this application, the account must be added to the directory.`,
		);
	}
	if (user.password !== undefined && params.fake_password !== user.password) {
		throw new OAuthError(
			400,
			"access_denied",
			"AADSTS50126: Error validating credentials due to invalid username or password.",
		);
	}
	if (params.fake_consent === "deny") {
		throw new OAuthError(400, "access_denied", "AADSTS65004: User declined to consent to access the app.");
	}
	return user;
}

export function authorize(state: ServerState, request: RouteRequest): Reply {
	// A POST (the browser sending a password) carries the fake_* fields in its body.
	const params = { ...request.query, ...request.form };
	const clientId = params.client_id;
	if (!clientId) {
		return errorPage(
			400,
			"invalid_request",
			"AADSTS900144: The request body must contain the following parameter: 'client_id'.",
		);
	}
	const client = state.registry.findClient(clientId);
	if (!client) {
		return errorPage(
			400,
			"unauthorized_client",
			`AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${request.tenant}'.`,
		);
	}
	const redirectUri =
		params.redirect_uri ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
	if (redirectUri === undefined) {
		return errorPage(
			400,
			"invalid_request",
			"AADSTS500113: No reply address is registered for the application.",
		);
	}
	if (!client.redirectUris.some((registered) => redirectUriMatches(registered, redirectUri))) {
		return errorPage(
			400,
			"invalid_request",
			`AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${client.clientId}'.`,
		);
	}
	const requestedMode = params.response_mode ?? "query";
	const mode: ResponseMode =
		requestedMode === "form_post" || requestedMode === "fragment" ? requestedMode : "query";
	const appState = params.state;
	const withState = (fields: Record<string, string>) =>
		appState === undefined ? fields : { ...fields, state: appState };
	try {
		if (requestedMode !== mode) {
			throw new OAuthError(400, "invalid_request", `AADSTS900350: Invalid response_mode '${requestedMode}'.`);
		}
		if (params.response_type !== "code") {
			throw new OAuthError(
				400,
				"unsupported_response_type",
				`AADSTS70005: response_type '${params.response_type ?? ""}' is not supported; use 'code'.`,
			);
		}
		if (!params.scope) {
			throw new OAuthError(
				400,
				"invalid_request",
				"AADSTS900144: The request body must contain the following parameter: 'scope'.",
			);
		}
		parseScopes(params.scope);
		checkPkce(client, params);
		const step = signInPageStep(state, request, params);
		if (step !== undefined && "page" in step) return step.page;
		const user = step?.user ?? signInUser(state, params);
		const code = state.codes.issue({
			clientId: client.clientId,
			redirectUri,
			scope: params.scope,
			user,
			codeChallenge: params.code_challenge,
			codeChallengeMethod:
				params.code_challenge === undefined ? undefined : (params.code_challenge_method ?? "plain"),
			nonce: params.nonce,
		});
		const sessionState = createHash("sha256")
			.update(`${user.oid}|${randomUUID()}`)
			.digest("hex")
			.slice(0, 36);
		const fields: Record<string, string> = { code };
		if (mode === "form_post" && params.client_info === "1") fields.client_info = clientInfo(user);
		return respond(redirectUri, mode, { ...withState(fields), session_state: sessionState });
	} catch (error) {
		if (!(error instanceof OAuthError)) throw error;
		const reply = respond(
			redirectUri,
			mode,
			withState({ error: error.error, error_description: error.message }),
		);
		return { ...reply, error: error.error };
	}
}
