/**
 * OpenID Connect discovery document and JWKS.
 */
import { json, type Reply } from "../http.js";
import { issuerOf, MULTI_TENANT_SEGMENTS, resolveTenant, type ServerState } from "../state.js";

export function openidConfiguration(state: ServerState, tenantSegment: string): Reply {
	const base = `${state.origin}/${tenantSegment}`;
	// Multi-tenant documents carry a placeholder issuer, as Entra's do; the client substitutes the token's tid.
	const issuer = MULTI_TENANT_SEGMENTS.has(tenantSegment.toLowerCase())
		? `https://${state.authorityHost}/{tenantid}/v2.0`
		: issuerOf(state, resolveTenant(state, tenantSegment));
	return json(200, {
		token_endpoint: `${base}/oauth2/v2.0/token`,
		token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt"],
		jwks_uri: `${base}/discovery/v2.0/keys`,
		response_modes_supported: ["query", "fragment", "form_post"],
		subject_types_supported: ["pairwise"],
		id_token_signing_alg_values_supported: ["RS256"],
		response_types_supported: ["code"],
		scopes_supported: ["openid", "profile", "email", "offline_access"],
		issuer,
		request_uri_parameter_supported: false,
		authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
		end_session_endpoint: `${base}/oauth2/v2.0/logout`,
		code_challenge_methods_supported: ["S256", "plain"],
		grant_types_supported: ["authorization_code", "refresh_token", "client_credentials", "password"],
		claims_supported: [
			"sub",
			"iss",
			"aud",
			"exp",
			"iat",
			"nonce",
			"name",
			"preferred_username",
			"oid",
			"tid",
			"ver",
		],
		tenant_region_scope: null,
		cloud_instance_name: state.authorityHost,
		msgraph_host: "graph.microsoft.com",
	});
}

export function jwks(state: ServerState): Reply {
	return json(200, state.signingKey.jwks);
}
