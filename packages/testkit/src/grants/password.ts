/**
 * grant_type=password (ROPC): only for users registered with a password.
 */
import type { AuthenticatedClient } from "../client-auth.js";
import { oauthError } from "../errors.js";
import { parseScopes } from "../scopes.js";
import type { ServerState } from "../state.js";
import { newRefreshToken, userTokenResponse } from "./user-tokens.js";

export function passwordGrant(
	state: ServerState,
	form: Record<string, string>,
	{ client, method }: AuthenticatedClient,
): Record<string, unknown> {
	if (!form.username) throw oauthError.missingParameter("username");
	if (form.password === undefined) throw oauthError.missingParameter("password");
	if (!form.scope) throw oauthError.missingParameter("scope");
	const user = state.registry.findUser(form.username);
	if (!user || user.password === undefined || user.password !== form.password) {
		throw oauthError.grant("AADSTS50126: Error validating credentials due to invalid username or password.");
	}
	const base = { client, method, user, scopes: parseScopes(form.scope), form };
	const refreshToken = newRefreshToken(state, base);
	return userTokenResponse(state, { ...base, ...(refreshToken !== undefined ? { refreshToken } : {}) });
}
