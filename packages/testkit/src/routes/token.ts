/**
 * POST /{tenant}/oauth2/v2.0/token: client authentication, then the grant.
 */
import { authenticateClient } from "../client-auth.js";
import { entraErrorBody, OAuthError } from "../errors.js";
import { authorizationCodeGrant } from "../grants/authorization-code.js";
import { clientCredentialsGrant } from "../grants/client-credentials.js";
import { DEVICE_CODE_GRANT, DEVICE_CODE_GRANT_SHORT, deviceCodeGrant } from "../grants/device-code.js";
import { passwordGrant } from "../grants/password.js";
import { refreshTokenGrant } from "../grants/refresh-token.js";
import { json, type Reply, type RouteRequest } from "../http.js";
import type { ServerState } from "../state.js";
import { correlationIdOf } from "../tokens.js";

function runGrant(state: ServerState, request: RouteRequest): Record<string, unknown> {
	const { form, tenant } = request;
	if (request.method !== "POST") {
		throw new OAuthError(
			400,
			"invalid_request",
			`AADSTS900561: The endpoint only accepts POST requests. Received a ${request.method} request.`,
		);
	}
	const injected = state.faults.take(form.grant_type);
	if (injected) throw injected;
	if (!form.grant_type) {
		throw new OAuthError(
			400,
			"invalid_request",
			"AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
		);
	}
	const grantType = form.grant_type;
	if (
		![
			"authorization_code",
			"refresh_token",
			"client_credentials",
			"password",
			DEVICE_CODE_GRANT,
			DEVICE_CODE_GRANT_SHORT,
		].includes(grantType)
	) {
		throw new OAuthError(
			400,
			"unsupported_grant_type",
			`AADSTS70003: The app requested an unsupported grant type '${grantType}'.`,
		);
	}
	// Client authentication comes first, as in Entra: a bad secret is reported even when the grant is bad too.
	const authenticated = authenticateClient(state, form, tenant);
	switch (grantType) {
		case "authorization_code":
			return authorizationCodeGrant(state, form, authenticated);
		case "refresh_token":
			return refreshTokenGrant(state, form, authenticated);
		case "password":
			return passwordGrant(state, form, tenant, authenticated);
		case DEVICE_CODE_GRANT:
		case DEVICE_CODE_GRANT_SHORT:
			return deviceCodeGrant(state, form, authenticated);
		default:
			return clientCredentialsGrant(state, form, tenant, authenticated);
	}
}

export function token(state: ServerState, request: RouteRequest): Reply {
	const tags = {
		...(request.form.grant_type !== undefined ? { grantType: request.form.grant_type } : {}),
		...(request.form.client_id !== undefined ? { clientId: request.form.client_id } : {}),
	};
	try {
		return { ...json(200, runGrant(state, request)), ...tags };
	} catch (error) {
		if (!(error instanceof OAuthError)) throw error;
		const body = entraErrorBody(error, correlationIdOf(request.query));
		return { ...json(error.status, body, error.headers), ...tags, error: error.error };
	}
}
