/**
 * The one module that talks to msal-node. Everything else in core sees our own types: the
 * requests below, {@link TokenResult}, and {@link AuthenticationError}s.
 *
 * msal-node is loaded on first use (its import costs ~50–100 ms), through its CommonJS bundle,
 * which loads about twice as fast as its ES modules because msal-common is inlined there.
 *
 * msal-node's token cache lives in the token backend: before each cache access MSAL is handed
 * the backend's in-memory document; after a change the backend takes MSAL's. Storage I/O is not
 * done here: Connection decides when to load and save.
 */

import { createRequire } from "node:module";
import type * as Msal from "@azure/msal-node";
import type { CacheDocument } from "../backend/cache-json.js";
import { toMsalPythonKeys } from "../backend/msal-python-keys.js";
import type { TokenBackend } from "../backend/token-backend.js";
import { AuthenticationError, type O365ErrorCode } from "../errors.js";
import type { LogLevel, SafeLogger } from "../logging/logger.js";
import type { ClientCredential } from "./credentials.js";

type MsalModule = typeof import("@azure/msal-node");

let msalModule: MsalModule | undefined;
function loadMsal(): MsalModule {
	msalModule ??= createRequire(import.meta.url)("@azure/msal-node") as MsalModule;
	return msalModule;
}

/** msal-node's `INetworkModule`: sends the identity platform's HTTP requests (proxies, tests). */
export interface NetworkClient {
	sendGetRequestAsync<T>(
		url: string,
		options?: { headers?: Record<string, string>; body?: string },
		timeout?: number,
	): Promise<{ headers: Record<string, string>; body: T; status: number }>;
	sendPostRequestAsync<T>(
		url: string,
		options?: { headers?: Record<string, string>; body?: string },
	): Promise<{ headers: Record<string, string>; body: T; status: number }>;
}

export interface MsalClientConfig {
	clientId: string;
	credential: ClientCredential;
	authority: string;
	knownAuthorities?: string[] | undefined;
	authorityMetadata?: string | undefined;
	cloudDiscoveryMetadata?: string | undefined;
	networkClient?: NetworkClient | undefined;
	tokenBackend: TokenBackend;
	/** Receives msal-node's own warnings and errors (and its info lines when debug is on), PII off. */
	log?: SafeLogger | undefined;
}

/** A token as core uses it. */
export interface TokenResult {
	accessToken: string;
	/** Epoch milliseconds. */
	expiresAt: number;
	/** Epoch milliseconds from the server's `refresh_in`, when it sent one. */
	refreshAt?: number | undefined;
	/** The signed-in user; absent for app tokens. */
	account?: { homeAccountId: string; username: string } | undefined;
	scopes: string[];
	/** Whether msal-node answered from its cache, without asking the identity platform. */
	fromCache?: boolean | undefined;
}

export interface AuthorizationUrlRequest {
	scopes: string[];
	redirectUri: string;
	state: string;
	nonce: string;
	codeChallenge: string;
	prompt?: string | undefined;
	loginHint?: string | undefined;
	domainHint?: string | undefined;
	responseMode?: "query" | "form_post" | undefined;
}

export interface CodeRedemption {
	code: string;
	scopes: string[];
	redirectUri: string;
	codeVerifier: string;
	state: string;
	nonce: string;
	clientInfo?: string | undefined;
}

type App = Msal.ConfidentialClientApplication | Msal.PublicClientApplication;

export class MsalClient {
	readonly #config: MsalClientConfig;
	#app: App | undefined;

	constructor(config: MsalClientConfig) {
		this.#config = config;
	}

	async authorizationUrl(request: AuthorizationUrlRequest): Promise<string> {
		return this.#call("build the sign-in URL", () =>
			this.#getApp().getAuthCodeUrl({
				scopes: request.scopes,
				redirectUri: request.redirectUri,
				state: request.state,
				nonce: request.nonce,
				codeChallenge: request.codeChallenge,
				codeChallengeMethod: "S256",
				...(request.prompt === undefined ? {} : { prompt: request.prompt }),
				...(request.loginHint === undefined ? {} : { loginHint: request.loginHint }),
				...(request.domainHint === undefined ? {} : { domainHint: request.domainHint }),
				...(request.responseMode === undefined
					? {}
					: { responseMode: request.responseMode as Msal.AuthorizationUrlRequest["responseMode"] }),
			}),
		);
	}

	async redeemCode(request: CodeRedemption): Promise<TokenResult> {
		const result = await this.#call("redeem the authorization code", () =>
			this.#getApp().acquireTokenByCode(
				{
					code: request.code,
					scopes: request.scopes,
					redirectUri: request.redirectUri,
					codeVerifier: request.codeVerifier,
					state: request.state,
					nonce: request.nonce,
				},
				{
					code: request.code,
					state: request.state,
					nonce: request.nonce,
					...(request.clientInfo === undefined ? {} : { client_info: request.clientInfo }),
				},
			),
		);
		return toTokenResult(result);
	}

	/** A user's token from the cache, refreshed with the refresh token when near expiry or forced. */
	async silent(request: {
		homeAccountId: string;
		scopes: string[];
		forceRefresh: boolean;
		claims?: string | undefined;
	}): Promise<TokenResult> {
		const app = this.#getApp();
		const result = await this.#call(
			"refresh the access token",
			async () => {
				const account = await app.getTokenCache().getAccountByHomeId(request.homeAccountId);
				if (account === null) {
					throw new AuthenticationError(
						"sign_in_required",
						"no signed-in user matches the selected account; call account.authenticate() to sign in.",
					);
				}
				return app.acquireTokenSilent({
					account,
					scopes: request.scopes,
					forceRefresh: request.forceRefresh,
					...(request.claims === undefined ? {} : { claims: request.claims }),
				});
			},
			true,
		);
		return toTokenResult(result);
	}

	/** The app's own token (client credentials), from the cache unless expired or forced. */
	async appToken(request: {
		scopes: string[];
		forceRefresh: boolean;
		claims?: string | undefined;
	}): Promise<TokenResult> {
		const app = this.#getApp();
		if (!(app instanceof loadMsal().ConfidentialClientApplication)) {
			throw new AuthenticationError("token_request_failed", "app tokens need a confidential client.");
		}
		const result = await this.#call("get an app token", () =>
			app.acquireTokenByClientCredential({
				scopes: request.scopes,
				skipCache: request.forceRefresh,
				...(request.claims === undefined ? {} : { claims: request.claims }),
			}),
		);
		if (result === null) {
			throw new AuthenticationError("token_request_failed", "the identity platform returned no app token.");
		}
		return toTokenResult(result);
	}

	/** A user's token by the password grant (ROPC), for public and confidential clients alike. */
	async byPassword(request: { username: string; password: string; scopes: string[] }): Promise<TokenResult> {
		const result = await this.#call("sign in with the username and password", () =>
			// Deprecated in msal-node as a discouraged flow, not removed: python-o365's password flow needs it.
			this.#getApp().acquireTokenByUsernamePassword({
				username: request.username,
				password: request.password,
				scopes: request.scopes,
			}),
		);
		if (result === null) {
			throw new AuthenticationError(
				"token_request_failed",
				"the identity platform returned no token for the password sign-in.",
			);
		}
		return toTokenResult(result);
	}

	#getApp(): App {
		if (this.#app !== undefined) return this.#app;
		const msal = loadMsal();
		const config = this.#config;
		const backend = config.tokenBackend;
		// msal-node sees and writes the cache under MSAL Python's keys (see msal-python-keys.ts), so
		// that python-o365 and this library share it without duplicates. What the backend holds
		// tells which entries msal-node has just written.
		const backendDocument = () => JSON.parse(backend.serialize()) as CacheDocument;
		const cachePlugin: Msal.ICachePlugin = {
			beforeCacheAccess: async (context) => {
				context.tokenCache.deserialize(JSON.stringify(toMsalPythonKeys(backendDocument())));
			},
			afterCacheAccess: async (context) => {
				if (!context.cacheHasChanged) return;
				const written = JSON.parse(context.tokenCache.serialize()) as CacheDocument;
				backend.deserialize(JSON.stringify(toMsalPythonKeys(written, backendDocument())), { changed: true });
			},
		};
		const credential = config.credential;
		const auth: Msal.NodeAuthOptions = {
			clientId: config.clientId,
			authority: config.authority,
			...(config.knownAuthorities === undefined ? {} : { knownAuthorities: config.knownAuthorities }),
			...(config.authorityMetadata === undefined ? {} : { authorityMetadata: config.authorityMetadata }),
			...(config.cloudDiscoveryMetadata === undefined
				? {}
				: { cloudDiscoveryMetadata: config.cloudDiscoveryMetadata }),
			...(credential.kind === "secret" ? { clientSecret: credential.secret } : {}),
			...(credential.kind === "certificate"
				? {
						clientCertificate: {
							privateKey: credential.privateKey,
							...(credential.thumbprintSha256 === undefined
								? {}
								: { thumbprintSha256: credential.thumbprintSha256 }),
							...(credential.thumbprint === undefined ? {} : { thumbprint: credential.thumbprint }),
							...(credential.x5c === undefined ? {} : { x5c: credential.x5c }),
						},
					}
				: {}),
		};
		const options: Msal.Configuration = {
			auth,
			cache: { cachePlugin },
			system: {
				...(config.networkClient === undefined
					? {}
					: { networkClient: config.networkClient as unknown as Msal.INetworkModule }),
				loggerOptions: msalLoggerOptions(msal, config.log),
			},
		};
		this.#app =
			credential.kind === "none"
				? new msal.PublicClientApplication(options)
				: new msal.ConfidentialClientApplication(options);
		return this.#app;
	}

	async #call<T>(what: string, run: () => Promise<T>, refreshing = false): Promise<T> {
		try {
			return await run();
		} catch (error) {
			throw toAuthenticationError(error, what, refreshing);
		}
	}
}

function toTokenResult(result: Msal.AuthenticationResult): TokenResult {
	return {
		accessToken: result.accessToken,
		expiresAt: result.expiresOn?.getTime() ?? Date.now(),
		refreshAt: result.refreshOn?.getTime(),
		account:
			result.account === null
				? undefined
				: { homeAccountId: result.account.homeAccountId, username: result.account.username },
		scopes: result.scopes,
		fromCache: result.fromCache,
	};
}

/** msal-node's lines go to the user's logger (redacted there), PII never asked for. */
function msalLoggerOptions(
	msal: MsalModule,
	log: SafeLogger | undefined,
): NonNullable<NonNullable<Msal.Configuration["system"]>["loggerOptions"]> {
	const levels = new Map<Msal.LogLevel, LogLevel>([
		[msal.LogLevel.Error, "error"],
		[msal.LogLevel.Warning, "warn"],
	]);
	return {
		piiLoggingEnabled: false,
		logLevel: log?.debugEnabled === true ? msal.LogLevel.Info : msal.LogLevel.Warning,
		loggerCallback: (level, message, containsPii) => {
			if (containsPii) return;
			log?.log(levels.get(level) ?? "debug", `msal-node: ${message}`);
		},
	};
}

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
