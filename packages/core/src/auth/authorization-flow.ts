import { AuthenticationError } from "../errors.js";
import { nodeCrypto } from "../utils/builtins.js";
import { describeValue, isPlainObject } from "../utils/read-options.js";

/**
 * What a web app keeps between sending the user to sign in and receiving them back: plain JSON,
 * to store in the server-side session (it holds the PKCE verifier, so treat it as a secret and
 * never put it in a cookie the browser can read).
 */
export interface AuthorizationFlow {
	/** Random value the redirect must carry back unchanged. */
	state: string;
	/** PKCE verifier; proves the code is redeemed by whoever started the sign-in. */
	codeVerifier: string;
	/** Value the id_token must echo. */
	nonce: string;
	redirectUri: string;
	/** Scopes requested, as sent. */
	scopes: string[];
}

export function createAuthorizationFlow(scopes: string[], redirectUri: string) {
	const { createHash, randomBytes } = nodeCrypto();
	const codeVerifier = randomBytes(32).toString("base64url");
	const flow: AuthorizationFlow = {
		state: randomBytes(16).toString("base64url"),
		codeVerifier,
		nonce: randomBytes(16).toString("base64url"),
		redirectUri,
		scopes,
	};
	return { flow, codeChallenge: createHash("sha256").update(codeVerifier).digest("base64url") };
}

/**
 * Checks that a value restored from a session is a flow this library made, and returns a plain
 * copy of it (a getter or Proxy trap that throws is refused like a missing field).
 */
export function readAuthorizationFlow(flow: unknown): AuthorizationFlow {
	let copy: AuthorizationFlow | undefined;
	try {
		const record = flow as Record<keyof AuthorizationFlow, unknown>;
		const { state, codeVerifier, nonce, redirectUri, scopes } = record;
		if (
			typeof state === "string" &&
			typeof codeVerifier === "string" &&
			typeof nonce === "string" &&
			typeof redirectUri === "string" &&
			URL.canParse(redirectUri) &&
			Array.isArray(scopes) &&
			scopes.every((scope) => typeof scope === "string")
		) {
			copy = { state, codeVerifier, nonce, redirectUri, scopes: [...scopes] };
		}
	} catch {
		copy = undefined;
	}
	if (copy === undefined) {
		throw new AuthenticationError(
			"invalid_redirect",
			"`flow` is missing or incomplete; pass the `flow` object getAuthorizationUrl() returned for this sign-in.",
		);
	}
	return copy;
}

/**
 * The parameters the identity platform sent back: the redirected URL (absolute, or relative to
 * the flow's redirect URI, such as `req.originalUrl`), or a `form_post` body.
 */
export type RedirectResponse = string | URL | URLSearchParams | Record<string, string>;

export interface AuthorizationResponse {
	code: string;
	state: string | undefined;
	clientInfo: string | undefined;
}

/**
 * Reads the redirect: the query (`response_mode=query`), a fragment, or a form body. A redirected
 * URL must come back to `redirectUri` (same scheme, host, port and path); a relative one
 * (`req.originalUrl`, or just its `?query`) is resolved against it. A refusal
 * (`error=access_denied`) becomes an `authorization_denied` error with the provider's words.
 */
export function parseAuthorizationResponse(response: unknown, redirectUri: string): AuthorizationResponse {
	const params = toParams(response, redirectUri);
	const error = params.get("error");
	if (error !== null) {
		const description = params.get("error_description") ?? "";
		throw new AuthenticationError(
			error === "access_denied" ? "authorization_denied" : "token_request_failed",
			error === "access_denied"
				? `The user did not grant access (${description || error}).`
				: `The identity platform refused the sign-in (${error}: ${description}).`,
			{
				providerError: {
					error,
					...(description === "" ? {} : { errorDescription: description }),
					...(params.get("suberror") === null ? {} : { suberror: params.get("suberror") as string }),
				},
			},
		);
	}
	const code = params.get("code");
	if (code === null || code === "") {
		throw new AuthenticationError(
			"invalid_redirect",
			"the redirect carries neither `code` nor `error`; pass the full URL the browser was sent back to.",
		);
	}
	return {
		code,
		state: params.get("state") ?? undefined,
		clientInfo: params.get("client_info") ?? undefined,
	};
}

const REDIRECT_EXPECTED =
	"pass the URL the browser was sent back to (a string or URL; req.originalUrl is fine), or a form_post body as URLSearchParams or a plain object of strings";

function toParams(response: unknown, redirectUri: string): URLSearchParams {
	let kind: "url" | "params" | "record" | undefined;
	let entries: [string, string][] | undefined;
	let text = "";
	try {
		if (typeof response === "string" || response instanceof URL) {
			text = typeof response === "string" ? response : response.href;
			kind = "url";
		} else if (response instanceof URLSearchParams) kind = "params";
		else if (isPlainObject(response)) {
			entries = Object.entries(response).filter(
				(entry): entry is [string, string] => typeof entry[1] === "string",
			);
			kind = entries.length === Object.keys(response).length ? "record" : undefined;
		}
	} catch {
		kind = undefined;
	}
	if (kind === "params") return response as URLSearchParams;
	if (kind === "record") return new URLSearchParams(entries);
	if (kind === undefined) {
		throw new AuthenticationError(
			"invalid_redirect",
			`the redirect is ${describeValue(response)}; ${REDIRECT_EXPECTED}.`,
		);
	}
	const url = redirectedUrl(text, redirectUri);
	const query = url.searchParams;
	if (query.has("code") || query.has("error")) return query;
	return new URLSearchParams(url.hash.replace(/^#/, ""));
}

/**
 * The redirected URL, checked against the flow's redirect URI: a code that arrives anywhere else
 * (another scheme such as `javascript:`, host, port or path) was not sent there by the identity
 * platform, so it is refused before it is spent.
 */
function redirectedUrl(text: string, redirectUri: string): URL {
	const expected = new URL(redirectUri);
	const relative = text.startsWith("/") || text.startsWith("?");
	const base = relative ? redirectUri : undefined;
	if (!URL.canParse(text, base)) {
		throw new AuthenticationError(
			"invalid_redirect",
			"the redirect is not a URL; paste the whole address from the browser's address bar (or pass req.originalUrl).",
		);
	}
	const url = new URL(text, base);
	if (
		url.protocol !== expected.protocol ||
		url.host !== expected.host ||
		url.pathname !== expected.pathname
	) {
		const arrived = `${url.protocol}${url.host === "" ? "" : `//${url.host}`}${url.pathname}`.slice(0, 200);
		throw new AuthenticationError(
			"invalid_redirect",
			`the redirect arrived at ${arrived}, but this sign-in's redirect URI is ${redirectUri}: the identity platform sends the code only there. Pass the URL of the request your redirect URI received (req.originalUrl is fine); behind a proxy, build it from the redirect URI rather than from request headers.`,
		);
	}
	return url;
}
