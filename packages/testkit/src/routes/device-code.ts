/**
 * The device code flow's pages: POST /{tenant}/oauth2/v2.0/devicecode (the app asks for a code) and
 * GET/POST /devicelogin (the user types the code, signs in, and accepts or declines).
 */
import { entraErrorBody, OAuthError, oauthError } from "../errors.js";
import { escapeHtml, html, json, type Reply, type RouteRequest } from "../http.js";
import { parseScopes } from "../scopes.js";
import type { ServerState } from "../state.js";

/** POST /{tenant}/oauth2/v2.0/devicecode with `client_id` and `scope` (no client authentication, as in Entra). */
export function deviceCodeEndpoint(state: ServerState, request: RouteRequest): Reply {
	const { form } = request;
	const tags = form.client_id === undefined ? {} : { clientId: form.client_id };
	try {
		if (request.method !== "POST")
			throw oauthError.request("AADSTS900561: The endpoint only accepts POST requests.");
		if (!form.client_id) throw oauthError.missingParameter("client_id");
		const client = state.registry.findClient(form.client_id);
		if (!client) {
			throw oauthError.unauthorizedClient(
				`AADSTS700016: Application with identifier '${form.client_id}' was not found in the directory '${request.tenant}'.`,
			);
		}
		if (!form.scope) throw oauthError.missingParameter("scope");
		parseScopes(form.scope);
		const entry = state.deviceCodes.issue({
			clientId: client.clientId,
			scope: form.scope,
			lifetime: state.settings.deviceCodeLifetime,
			interval: state.settings.deviceCodeInterval,
		});
		const verificationUri = `${state.origin}/devicelogin`;
		return {
			...json(200, {
				device_code: entry.deviceCode,
				user_code: entry.userCode,
				verification_uri: verificationUri,
				expires_in: state.settings.deviceCodeLifetime,
				interval: state.settings.deviceCodeInterval,
				message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${entry.userCode} to authenticate.`,
			}),
			...tags,
		};
	} catch (error) {
		if (!(error instanceof OAuthError)) throw error;
		return { ...json(error.status, entraErrorBody(error)), ...tags, error: error.error };
	}
}

function page(status: number, title: string, content: string): Reply {
	return html(
		status,
		`<!DOCTYPE html><html><head><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${content}</body></html>`,
	);
}

const FORM = `<form method="POST" action="/devicelogin"><label>Code <input id="user_code" name="user_code" /></label><label>Email <input id="username" name="username" /></label><label>Password <input id="password" name="password" type="password" /></label><button id="accept" name="action" value="accept" type="submit">Accept</button><button id="decline" name="action" value="decline" type="submit">Decline</button></form>`;

/**
 * GET /devicelogin shows the form; POST checks the code, the user (and password when registered with one) and
 * records the answer. Failures are shown on the page (`#error`), as Entra does.
 */
export function deviceLogin(state: ServerState, request: RouteRequest): Reply {
	if (request.method !== "POST") return page(200, "Enter code", FORM);
	const { user_code: userCode = "", username, password, action } = request.form;
	const fail = (status: number, error: string, description: string): Reply => ({
		...page(
			status,
			"Sign-in failed",
			`<p id="error" data-error="${escapeHtml(error)}">${escapeHtml(description)}</p>${FORM}`,
		),
		error,
	});
	const entry = state.deviceCodes.findPending(userCode);
	if (entry === undefined) {
		return fail(
			400,
			"invalid_grant",
			"AADSTS70000: That code is unknown, expired or already used. Check the code and try again.",
		);
	}
	const user = username ? state.registry.findUser(username) : state.registry.users[0];
	if (user === undefined) {
		return fail(
			400,
			"invalid_request",
			`AADSTS50034: The user account ${username ?? "(none registered)"} does not exist in the ${state.tenantId} directory.`,
		);
	}
	if (user.password !== undefined && password !== user.password) {
		return fail(
			400,
			"access_denied",
			"AADSTS50126: Error validating credentials due to invalid username or password.",
		);
	}
	if (action === "decline") {
		entry.status = "declined";
		return page(
			200,
			"Sign-in declined",
			`<p id="result" data-result="declined">You declined to sign in to the application on your device.</p>`,
		);
	}
	entry.status = "approved";
	entry.user = user;
	return page(
		200,
		"Signed in",
		`<p id="result" data-result="approved">You have signed in to the application on your device. You may now close this window.</p>`,
	);
}
