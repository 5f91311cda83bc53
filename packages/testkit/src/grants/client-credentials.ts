/**
 * grant_type=client_credentials: an app-only token for a confidential client, scope `<resource>/.default`.
 */
import type { AuthenticatedClient } from "../client-auth.js";
import { oauthError } from "../errors.js";
import { parseScopes, splitScopes } from "../scopes.js";
import { resolveTenant, type ServerState } from "../state.js";
import { issueAccessToken, tokenResponse } from "../tokens.js";

export function clientCredentialsGrant(
	state: ServerState,
	form: Record<string, string>,
	tenantSegment: string,
	{ client, method }: AuthenticatedClient,
): Record<string, unknown> {
	if (method === "none") {
		// Public clients have no credential, so Entra asks for one.
		throw oauthError.client(
			"AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
		);
	}
	if (!form.scope) throw oauthError.missingParameter("scope");
	const requested = splitScopes(form.scope);
	if (requested.length !== 1 || !requested[0]?.endsWith("/.default")) {
		throw oauthError.scope(
			`AADSTS1002012: The provided value for scope ${form.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
		);
	}
	const scopes = parseScopes(form.scope);
	const tenantId = resolveTenant(state, tenantSegment);
	return tokenResponse(state, {
		accessToken: issueAccessToken(state, { client, authMethod: method, scopes, tenantId }),
		scopes,
	});
}
