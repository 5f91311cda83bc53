/**
 * grant_type=password (ROPC): only for work or school users registered with a password, at a tenant or
 * /organizations endpoint, and never for a user who must do MFA (the grant has no way to).
 */
import type { AuthenticatedClient } from "../client-auth.js";
import { OAuthError, oauthError } from "../errors.js";
import { parseScopes } from "../scopes.js";
import { resolveTenant, type ServerState } from "../state.js";
import { newRefreshToken, userTokenResponse } from "./user-tokens.js";

/** Endpoints of personal accounts (or of both kinds): Entra refuses ROPC there, as personal accounts cannot use it. */
const PERSONAL_ACCOUNT_SEGMENTS: ReadonlySet<string> = new Set(["common", "consumers"]);

export function passwordGrant(
	state: ServerState,
	form: Record<string, string>,
	tenantSegment: string,
	{ client, method }: AuthenticatedClient,
): Record<string, unknown> {
	if (PERSONAL_ACCOUNT_SEGMENTS.has(tenantSegment.toLowerCase())) {
		throw new OAuthError(
			400,
			"invalid_request",
			"AADSTS9001023: The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.",
		);
	}
	if (!form.username) throw oauthError.missingParameter("username");
	if (form.password === undefined) throw oauthError.missingParameter("password");
	if (!form.scope) throw oauthError.missingParameter("scope");
	const tenantId = resolveTenant(state, tenantSegment);
	const user = state.registry.findUser(form.username);
	if (!user || (tenantSegment.toLowerCase() !== "organizations" && user.tenantId !== tenantId)) {
		throw oauthError.grant(
			`AADSTS50034: The user account {EmailHidden} does not exist in the ${tenantId} directory. To sign into this application, the account must be added to the directory.`,
		);
	}
	if (user.password === undefined || user.password !== form.password) {
		throw oauthError.grant("AADSTS50126: Error validating credentials due to invalid username or password.");
	}
	if (user.mfaRequired) {
		throw new OAuthError(
			400,
			"invalid_grant",
			"AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access 'https://graph.microsoft.com'.",
			{ suberror: "basic_action" },
		);
	}
	const base = { client, method, user, scopes: parseScopes(form.scope), form };
	const refreshToken = newRefreshToken(state, base);
	return userTokenResponse(state, { ...base, ...(refreshToken !== undefined ? { refreshToken } : {}) });
}
