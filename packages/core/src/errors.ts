/**
 * Every error this library throws is an {@link O365Error} with a stable, machine-readable `code`.
 * Messages say what was wrong and how to fix it, and never carry a token, a secret, a private key
 * or an Authorization header: anything that came from a server or a lower library passes through
 * {@link redactSecrets} first and is kept, unredacted, only as `cause`.
 */

/** Stable error codes. New codes may be added in minor versions; existing ones never change meaning. */
export type O365ErrorCode =
	// configuration, raised at construction
	| "invalid_credentials"
	| "invalid_option"
	| "invalid_scopes"
	| "unknown_timezone"
	// sign-in and tokens
	| "state_mismatch"
	| "authorization_denied"
	| "invalid_redirect"
	| "sign_in_required"
	| "token_request_failed"
	| "consent_timeout"
	| "aborted"
	// storage
	| "backend_invalid_config"
	| "backend_corrupt"
	| "backend_legacy_format"
	| "backend_io"
	| "backend_crypto"
	| "backend_conflict"
	| "lease_timeout"
	| "lease_lost"
	// Graph requests
	| "invalid_request"
	| "http_error"
	| "unauthorized"
	| "throttled"
	| "timeout"
	| "network_error";

export interface O365ErrorOptions {
	cause?: unknown;
}

/** Base class of every error thrown by `@o365/*` packages. */
export class O365Error extends Error {
	override readonly name: string = "O365Error";
	readonly code: O365ErrorCode;

	constructor(code: O365ErrorCode, message: string, options: O365ErrorOptions = {}) {
		super(redactSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
		this.code = code;
	}
}

/** Bad credentials or options: raised when an `Account`, `Connection` or backend is constructed. */
export class ConfigurationError extends O365Error {
	override readonly name = "ConfigurationError";
}

/** What the identity platform said when it refused a request, safe to log. */
export interface ProviderErrorDetails {
	/** OAuth `error`, e.g. `invalid_grant`, `invalid_client`, `access_denied`. */
	error?: string;
	/** `error_description` as sent by the identity platform (secrets redacted). */
	errorDescription?: string;
	/** Entra's `suberror`, e.g. `consent_required`, `bad_token`. */
	suberror?: string;
	/** The request's correlation id, to quote to Microsoft support. */
	correlationId?: string;
}

/** Sign-in or token acquisition failed; `providerError` holds what the identity platform said. */
export class AuthenticationError extends O365Error {
	override readonly name = "AuthenticationError";
	readonly providerError: ProviderErrorDetails;

	constructor(
		code: O365ErrorCode,
		message: string,
		options: O365ErrorOptions & { providerError?: ProviderErrorDetails } = {},
	) {
		super(code, message, options);
		const details = options.providerError ?? {};
		this.providerError = {
			...details,
			...(details.errorDescription === undefined
				? {}
				: { errorDescription: redactSecrets(details.errorDescription) }),
		};
	}
}

/** A token backend could not read, write or decode what it stores. */
export class TokenBackendError extends O365Error {
	override readonly name = "TokenBackendError";
	/** The backend's short name, e.g. `fs`, `memory`. */
	readonly backend: string;

	constructor(backend: string, code: O365ErrorCode, message: string, options: O365ErrorOptions = {}) {
		super(code, `[o365:${backend}] ${message}`, options);
		this.backend = backend;
	}
}

/** What a failed Graph response carried, for {@link GraphError}. */
export interface GraphErrorDetails {
	/** HTTP status, e.g. 404, 429. */
	status: number;
	/** HTTP method of the request. */
	method: string;
	/** The request URL without its query string. */
	url: string;
	/** Graph's `error.code`, e.g. `ErrorItemNotFound`, `TooManyRequests`. */
	graphCode?: string | undefined;
	/** Graph's `error.message` (secrets redacted). */
	graphMessage?: string | undefined;
	/** The `request-id` response header, to quote to Microsoft support. */
	requestId?: string | undefined;
	/** The `client-request-id` this library sent (and Graph echoed). */
	clientRequestId?: string | undefined;
	/** How long the server asked to wait before trying again (`Retry-After`), in milliseconds. */
	retryAfterMs?: number | undefined;
	/** How many HTTP attempts were made. */
	attempts?: number | undefined;
}

/**
 * Microsoft Graph (or another HTTP API) answered with an error status. `code` is `throttled` for
 * 429/503 (see `retryAfterMs`), `unauthorized` for a 401 that a token refresh did not cure, else
 * `http_error`. `status`, `graphCode`, `requestId`… say what the server said.
 */
export class GraphError extends O365Error {
	override readonly name = "GraphError";
	readonly status: number;
	readonly method: string;
	readonly url: string;
	readonly graphCode: string | undefined;
	readonly graphMessage: string | undefined;
	readonly requestId: string | undefined;
	readonly clientRequestId: string | undefined;
	readonly retryAfterMs: number | undefined;
	readonly attempts: number | undefined;

	constructor(
		code: O365ErrorCode,
		message: string,
		details: GraphErrorDetails,
		options: O365ErrorOptions = {},
	) {
		super(code, message, options);
		this.status = details.status;
		this.method = details.method;
		this.url = details.url;
		this.graphCode = details.graphCode;
		this.graphMessage = details.graphMessage === undefined ? undefined : redactSecrets(details.graphMessage);
		this.requestId = details.requestId;
		this.clientRequestId = details.clientRequestId;
		this.retryAfterMs = details.retryAfterMs;
		this.attempts = details.attempts;
	}
}

const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi;
const SECRET_FIELD =
	/\b(client_secret|client_assertion|refresh_token|access_token|id_token|code_verifier|code|password|secret|assertion)(["']?\s*[=:]\s*["']?)[^\s&"',}]+/gi;
const PEM = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g;

/**
 * Removes anything that looks like a credential from text meant for a message or a log line:
 * JWTs, `Bearer …`/`Basic …` values, PEM blocks and `name=value` pairs of secret-bearing fields.
 */
export function redactSecrets(text: string): string {
	return text
		.replace(PEM, "[redacted key]")
		.replace(JWT, "[redacted token]")
		.replace(BEARER, "$1 [redacted]")
		.replace(SECRET_FIELD, "$1$2[redacted]");
}
