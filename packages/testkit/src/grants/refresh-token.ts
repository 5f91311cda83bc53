/**
 * grant_type=refresh_token: redeems a refresh token, rotating it when `settings.rotateRefreshTokens` is on.
 */
import type { AuthenticatedClient } from "../client-auth.js";
import { oauthError } from "../errors.js";
import { parseScopes } from "../scopes.js";
import type { ServerState } from "../state.js";
import { newRefreshToken, userTokenResponse } from "./user-tokens.js";

export function refreshTokenGrant(
	state: ServerState,
	form: Record<string, string>,
	{ client, method }: AuthenticatedClient,
): Record<string, unknown> {
	if (!form.refresh_token) throw oauthError.missingParameter("refresh_token");
	const { settings } = state;
	const grant = state.refreshTokens.verify(
		form.refresh_token,
		client.clientId,
		settings.rejectRefreshTokenReuse,
	);
	// A refresh token from an earlier fake (same seed) names its user by oid; fall back to the username.
	const user = state.registry.findUserByOid(grant.oid) ?? state.registry.findUser(grant.usr);
	if (!user) {
		throw oauthError.grant(
			`AADSTS50034: The user account ${grant.usr} does not exist in the ${grant.tid} directory.`,
		);
	}
	// Entra lets a refresh token be redeemed for any consented resource: the request's scopes win.
	const scopes = parseScopes(form.scope ?? grant.scp);
	const base = { client, method, user, scopes, form };
	let refreshToken: string | undefined = form.refresh_token;
	if (settings.rotateRefreshTokens) {
		state.refreshTokens.consume(grant);
		refreshToken = newRefreshToken(state, { ...base, scopes: parseScopes(grant.scp) });
	}
	return userTokenResponse(state, { ...base, ...(refreshToken !== undefined ? { refreshToken } : {}) });
}
