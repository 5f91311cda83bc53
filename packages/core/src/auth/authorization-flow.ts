import { AuthenticationError } from "../errors.js";
import { nodeCrypto } from "../utils/builtins.js";

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

/** Checks that a value restored from a session is a flow this library made. */
export function assertAuthorizationFlow(flow: unknown): asserts flow is AuthorizationFlow {
	const record = (flow ?? {}) as Record<string, unknown>;
	const valid =
		typeof record.state === "string" &&
		typeof record.codeVerifier === "string" &&
		typeof record.nonce === "string" &&
		typeof record.redirectUri === "string" &&
		Array.isArray(record.scopes);
	if (!valid) {
		throw new AuthenticationError(
			"invalid_redirect",
			"`flow` is missing or incomplete; pass the `flow` object getAuthorizationUrl() returned for this sign-in.",
		);
	}
}

/** The parameters the identity platform sent back: a redirected URL, or a `form_post` body. */
export type RedirectResponse = string | URL | URLSearchParams | Record<string, string>;

export interface AuthorizationResponse {
	code: string;
	state: string | undefined;
	clientInfo: string | undefined;
}

/**
 * Reads the redirect: the query (`response_mode=query`), a fragment, or a form body. A refusal
 * (`error=access_denied`) becomes an `authorization_denied` error with the provider's words.
 */
export function parseAuthorizationResponse(response: RedirectResponse): AuthorizationResponse {
	const params = toParams(response);
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

function toParams(response: RedirectResponse): URLSearchParams {
	if (response instanceof URLSearchParams) return response;
	if (typeof response === "object" && !(response instanceof URL)) return new URLSearchParams(response);
	let url: URL;
	try {
		url = new URL(String(response));
	} catch {
		throw new AuthenticationError(
			"invalid_redirect",
			"the redirect is not a URL; paste the whole address from the browser's address bar.",
		);
	}
	const query = url.searchParams;
	if (query.has("code") || query.has("error")) return query;
	return new URLSearchParams(url.hash.replace(/^#/, ""));
}
