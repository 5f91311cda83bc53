/**
 * grant_type=authorization_code: redeems a code from the authorize endpoint, checking PKCE and the redirect URI.
 */
import { createHash } from "node:crypto";
import type { AuthenticatedClient } from "../client-auth.js";
import type { CodeGrant } from "../codes.js";
import { oauthError } from "../errors.js";
import { base64url } from "../jwt.js";
import { parseScopes } from "../scopes.js";
import type { ServerState } from "../state.js";
import { newRefreshToken, userTokenResponse } from "./user-tokens.js";

function checkPkce(grant: CodeGrant, verifier: string | undefined): void {
	if (grant.codeChallenge === undefined) return;
	const computed =
		verifier === undefined
			? undefined
			: grant.codeChallengeMethod === "S256"
				? base64url(createHash("sha256").update(verifier).digest())
				: verifier;
	if (computed !== grant.codeChallenge) {
		throw oauthError.grant(
			"AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.",
		);
	}
}

export function authorizationCodeGrant(
	state: ServerState,
	form: Record<string, string>,
	{ client, method }: AuthenticatedClient,
): Record<string, unknown> {
	if (!form.code) throw oauthError.missingParameter("code");
	if (!form.redirect_uri) throw oauthError.missingParameter("redirect_uri");
	const grant = state.codes.redeem(form.code, client.clientId);
	if (form.redirect_uri !== grant.redirectUri) {
		throw oauthError.grant(
			`AADSTS500112: The reply address '${form.redirect_uri}' does not match the reply address '${grant.redirectUri}' provided when requesting Authorization code.`,
		);
	}
	checkPkce(grant, form.code_verifier);
	// The token request may narrow or restate the scopes; Entra takes them from this request when given.
	const scopes = parseScopes(form.scope ?? grant.scope);
	const base = {
		client,
		method,
		user: grant.user,
		scopes,
		form,
		...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
	};
	const refreshToken = newRefreshToken(state, base);
	return userTokenResponse(state, { ...base, ...(refreshToken !== undefined ? { refreshToken } : {}) });
}
