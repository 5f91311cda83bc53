/**
 * The token response of the grants that act for a user (authorization code, refresh token, password).
 */
import type { RegisteredClient } from "../registry.js";
import type { ParsedScopes } from "../scopes.js";
import type { ServerState } from "../state.js";
import {
	type ClientAuthMethod,
	clientInfo,
	issueAccessToken,
	issueIdToken,
	tokenResponse,
} from "../tokens.js";
import type { FakeUser } from "../types.js";

export interface UserGrantResult {
	client: RegisteredClient;
	method: ClientAuthMethod;
	user: FakeUser;
	scopes: ParsedScopes;
	form: Record<string, string>;
	/** Echoed in the id_token; only the authorization code grant has one. */
	nonce?: string;
	/** The refresh token to return: a new one, the presented one (no rotation), or none. */
	refreshToken?: string;
}

export function userTokenResponse(state: ServerState, result: UserGrantResult): Record<string, unknown> {
	const { client, user, scopes } = result;
	const wantsIdToken = scopes.oidc.some((scope) => scope.toLowerCase() === "openid");
	return tokenResponse(state, {
		accessToken: issueAccessToken(state, {
			client,
			authMethod: result.method,
			scopes,
			tenantId: user.tenantId,
			user,
		}),
		scopes,
		...(result.refreshToken !== undefined ? { refreshToken: result.refreshToken } : {}),
		...(wantsIdToken ? { idToken: issueIdToken(state, client, user, result.nonce) } : {}),
		// Entra sends client_info only to clients that ask for it (msal always does).
		...(result.form.client_info === "1" ? { clientInfo: clientInfo(user) } : {}),
	});
}

/** A new refresh token for this user and client, when `offline_access` was granted. */
export function newRefreshToken(
	state: ServerState,
	result: Omit<UserGrantResult, "refreshToken">,
): string | undefined {
	if (!result.scopes.offlineAccess) return undefined;
	return state.refreshTokens.issue({
		cid: result.client.clientId,
		oid: result.user.oid,
		tid: result.user.tenantId,
		usr: result.user.username,
		scp: result.scopes.all.join(" "),
	});
}
