/**
 * msal-node's errors in our terms: typed AuthenticationErrors that keep the identity platform's
 * words (redacted) and the cause. Only shapes are read here; msal-node itself is imported by
 * msal-client.ts alone.
 */

import { AuthenticationError, type O365ErrorCode } from "../errors.js";

/**
 * The identity platform's own sentence: msal-node wraps it as "Error(s): … - Timestamp: … -
 * Description: AADSTS…: … Trace ID … - Correlation ID: … - Trace ID: …".
 */
function providerDescription(message: string): string {
	const firstLine = message.split("\n")[0]?.trim() ?? "";
	const at = firstLine.indexOf(" - Description: ");
	if (at < 0) return firstLine;
	const description = firstLine.slice(at + " - Description: ".length);
	return description.split(/ Trace ID: | - Correlation ID: /)[0]?.trim() ?? description;
}

/** Server errors after which only a new interactive sign-in helps. */
const SIGN_IN_REQUIRED = new Set([
	"invalid_grant",
	"interaction_required",
	"login_required",
	"consent_required",
	"no_tokens_found",
	"no_account_found",
	"refresh_token_expired",
	"bad_token",
]);

interface MsalLikeError {
	name?: string;
	errorCode?: string;
	errorMessage?: string;
	subError?: string;
	correlationId?: string;
	message?: string;
}

/**
 * Maps an msal-node error to ours, keeping the identity platform's words (redacted) and cause.
 * When `refreshing`, a refused refresh token means only a new sign-in helps (`sign_in_required`);
 * a refused authorization code is just this sign-in failing.
 */
export function toAuthenticationError(
	error: unknown,
	what: string,
	refreshing: boolean,
): AuthenticationError {
	if (error instanceof AuthenticationError) return error;
	const msalError = (error ?? {}) as MsalLikeError;
	const errorCode = msalError.errorCode ?? "";
	const description = providerDescription(msalError.errorMessage ?? msalError.message ?? "");
	const providerError = {
		...(errorCode === "" ? {} : { error: errorCode }),
		...(description === "" ? {} : { errorDescription: description }),
		...(msalError.subError ? { suberror: msalError.subError } : {}),
		...(msalError.correlationId ? { correlationId: msalError.correlationId } : {}),
	};
	let code: O365ErrorCode = "token_request_failed";
	let advice = "";
	if (
		refreshing &&
		(msalError.name === "InteractionRequiredAuthError" ||
			SIGN_IN_REQUIRED.has(errorCode) ||
			SIGN_IN_REQUIRED.has(msalError.subError ?? ""))
	) {
		code = "sign_in_required";
		advice = " The user must sign in again: call account.authenticate().";
	} else if (errorCode === "state_mismatch" || errorCode === "state_not_found") {
		code = "state_mismatch";
		advice = " The redirect does not belong to this sign-in; start again with getAuthorizationUrl().";
	} else if (errorCode === "invalid_client" || errorCode === "unauthorized_client") {
		advice = " Check the client secret or certificate registered on the app.";
	}
	const said = errorCode === "" ? description : `${errorCode}: ${description}`;
	return new AuthenticationError(code, `Could not ${what} (${said || "no details"}).${advice}`, {
		cause: error,
		providerError,
	});
}
