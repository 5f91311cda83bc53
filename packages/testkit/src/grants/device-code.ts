/**
 * grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 §3.4): the app polls with its device code;
 * `authorization_pending`, `slow_down`, `authorization_declined` and `expired_token` until the user answered.
 */
import type { AuthenticatedClient } from "../client-auth.js";
import { oauthError } from "../errors.js";
import { parseScopes } from "../scopes.js";
import type { ServerState } from "../state.js";
import { newRefreshToken, userTokenResponse } from "./user-tokens.js";

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
/** What msal sends; Entra accepts both names. */
export const DEVICE_CODE_GRANT_SHORT = "device_code";

export function deviceCodeGrant(
	state: ServerState,
	form: Record<string, string>,
	{ client, method }: AuthenticatedClient,
): Record<string, unknown> {
	if (!form.device_code) throw oauthError.missingParameter("device_code");
	const entry = state.deviceCodes.poll(form.device_code, client.clientId);
	if (entry.user === undefined) throw oauthError.grant("AADSTS70000: The device code has no signed-in user.");
	// As for codes, the token request may restate the scopes; Entra takes them from it when given.
	const base = { client, method, user: entry.user, scopes: parseScopes(form.scope ?? entry.scope), form };
	const refreshToken = newRefreshToken(state, base);
	return userTokenResponse(state, { ...base, ...(refreshToken !== undefined ? { refreshToken } : {}) });
}
