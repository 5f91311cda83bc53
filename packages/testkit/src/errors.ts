/**
 * Errors: the one the testkit throws at its callers, and the Entra-shaped OAuth errors the fake answers with.
 */
import { randomUUID } from "node:crypto";

/** Stable machine-readable codes of {@link TestkitError}. */
export type TestkitErrorCode =
	/** The egress guard stopped a connection to a host that is not loopback. */
	| "egress_blocked"
	/** The scripted browser met something a user could not get past (error page, non-loopback URL, failed POST). */
	| "browser_failed"
	/** An option or registration is invalid. */
	| "invalid_options";

/** The error the testkit throws; `code` says which kind it is. */
export class TestkitError extends Error {
	override readonly name = "TestkitError";
	readonly code: TestkitErrorCode;

	constructor(code: TestkitErrorCode, message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.code = code;
	}
}

/**
 * An OAuth error the fake answers with. Thrown inside request handlers and turned into an Entra-shaped
 * JSON body (token endpoint), an error redirect or an error page (authorize endpoint).
 */
export class OAuthError extends Error {
	override readonly name = "OAuthError";
	/** HTTP status. */
	readonly status: number;
	/** OAuth `error`, e.g. `invalid_grant`. */
	readonly error: string;
	/** Numbers parsed from the `AADSTSnnnn:` prefix of the description. */
	readonly errorCodes: number[];
	readonly suberror: string | undefined;
	/** Extra response headers (e.g. `Retry-After`). */
	readonly headers: Record<string, string>;

	constructor(
		status: number,
		error: string,
		description: string,
		extra: { suberror?: string; errorCodes?: number[]; headers?: Record<string, string> } = {},
	) {
		super(description);
		this.status = status;
		this.error = error;
		const parsed = /^AADSTS(\d+)/.exec(description)?.[1];
		this.errorCodes = extra.errorCodes ?? (parsed ? [Number(parsed)] : []);
		this.suberror = extra.suberror;
		this.headers = extra.headers ?? {};
	}
}

/** Shorthands for the errors the token endpoint needs most, with Entra's status codes. */
export const oauthError = {
	/** 400 `invalid_request`. */
	request: (description: string) => new OAuthError(400, "invalid_request", description),
	/** 401 `invalid_client`: client authentication failed. */
	client: (description: string) => new OAuthError(401, "invalid_client", description),
	/** 400 `invalid_grant`: bad, expired, revoked or replayed code or refresh token. */
	grant: (description: string) => new OAuthError(400, "invalid_grant", description),
	/** 400 `invalid_scope`. */
	scope: (description: string) => new OAuthError(400, "invalid_scope", description),
	/** 400 `unauthorized_client`: unknown application or grant not allowed for it. */
	unauthorizedClient: (description: string) => new OAuthError(400, "unauthorized_client", description),
	missingParameter: (name: string) =>
		new OAuthError(
			400,
			"invalid_request",
			`AADSTS900144: The request body must contain the following parameter: '${name}'.`,
		),
};

/** Entra's timestamp format: `2025-01-31 12:34:56Z`. */
function entraTimestamp(now: Date): string {
	return `${now.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/** The JSON body Entra sends with an OAuth error, with trace and correlation ids appended to the description as Entra does. */
export function entraErrorBody(
	error: OAuthError,
	correlationId: string = randomUUID(),
): Record<string, unknown> {
	const now = new Date();
	const traceId = randomUUID();
	return {
		error: error.error,
		error_description: `${error.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${entraTimestamp(now)}`,
		error_codes: error.errorCodes,
		...(error.suberror ? { suberror: error.suberror } : {}),
		timestamp: entraTimestamp(now),
		trace_id: traceId,
		correlation_id: correlationId,
	};
}
