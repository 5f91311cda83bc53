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
import { AuthenticationError } from "../errors.js";
import type { LogLevel, SafeLogger } from "../logging/logger.js";
import { raceSignal } from "../utils/abort.js";
import { rememberSecret } from "../utils/known-secrets.js";
import type { ClientCredential } from "./credentials.js";
import { fetchNetworkClient } from "./fetch-network-client.js";
import { toAuthenticationError } from "./msal-errors.js";

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

/** What the device code endpoint answered (RFC 8628 §3.2), in our names. */
export interface DeviceCodeGrant {
	/** Secret: what the polls send. */
	deviceCode: string;
	userCode: string;
	verificationUri: string;
	/** Seconds. */
	expiresIn: number;
	/** Seconds between polls. */
	interval: number;
	message: string;
}

type App = Msal.ConfidentialClientApplication | Msal.PublicClientApplication;

const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
/** Any absolute URI: the device code polls carry none (see #deviceCodeApp). */
const NO_REDIRECT = "http://localhost";

export class MsalClient {
	readonly #config: MsalClientConfig;
	#app: App | undefined;
	#deviceApp: App | undefined;
	/** Device codes being polled, with the signal that cancels their request. */
	readonly #polls = new Map<string, AbortSignal | undefined>();

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

	/**
	 * Asks the device code endpoint for a code (RFC 8628 §3.1). msal-node has no device code API
	 * on confidential clients and may drop its public one (see the seam note in
	 * login-ux-and-cli.md §0), so this request is ours. The endpoint sits beside the authorize
	 * endpoint, which msal-node resolves for us (with discovery when the authority needs it).
	 */
	async requestDeviceCode(request: {
		scopes: string[];
		signal?: AbortSignal | undefined;
	}): Promise<DeviceCodeGrant> {
		const authorizeUrl = await this.#call("find the device code endpoint", () =>
			this.#getApp().getAuthCodeUrl({ scopes: request.scopes, redirectUri: NO_REDIRECT }),
		);
		const endpoint = new URL(authorizeUrl);
		endpoint.search = "";
		endpoint.pathname = endpoint.pathname.replace(/\/authorize$/, "/devicecode");
		const scopes = [...new Set([...request.scopes, "openid", "profile", "offline_access"])];
		const body = new URLSearchParams({ client_id: this.#config.clientId, scope: scopes.join(" ") });
		let response: { status: number; body: Record<string, unknown> };
		try {
			response = await this.#post(endpoint.href, body.toString(), request.signal);
		} catch (error) {
			if (request.signal?.aborted) throw error;
			throw toAuthenticationError(error, "reach the device code endpoint", false);
		}
		const answer = response.body ?? {};
		const { device_code, user_code, verification_uri, expires_in, interval, message } = answer;
		if (response.status !== 200 || typeof device_code !== "string" || typeof user_code !== "string") {
			throw toAuthenticationError(
				{
					errorCode: String(answer.error ?? `HTTP ${response.status}`),
					errorMessage: String(answer.error_description ?? ""),
				},
				"start the device code sign-in",
				false,
			);
		}
		rememberSecret(device_code); // it redeems the user's tokens: redacted wherever it might be echoed
		const seconds = (value: unknown, fallback: number) =>
			Number.isFinite(Number(value)) && Number(value) > 0 ? Number(value) : fallback;
		return {
			deviceCode: device_code,
			userCode: user_code,
			verificationUri: typeof verification_uri === "string" ? verification_uri : "",
			expiresIn: seconds(expires_in, 900),
			interval: seconds(interval, 5), // RFC 8628's default
			message: typeof message === "string" ? message : "",
		};
	}

	/**
	 * One poll of the token endpoint with the device code grant. It runs through msal-node's
	 * authorization-code path on a second application whose network client turns that request
	 * into the device code grant: msal-node still authenticates the client (secret or a fresh
	 * certificate assertion), reads the answer and caches the tokens exactly as for any sign-in.
	 * A pending user surfaces as an AuthenticationError with `providerError.error`
	 * `authorization_pending` (or `slow_down`, `authorization_declined`, `expired_token`).
	 */
	async redeemDeviceCode(request: {
		deviceCode: string;
		scopes: string[];
		signal?: AbortSignal | undefined;
	}): Promise<TokenResult> {
		const app = this.#deviceCodeApp();
		this.#polls.set(request.deviceCode, request.signal);
		try {
			const result = await this.#call("complete the device code sign-in", () =>
				app.acquireTokenByCode({
					code: request.deviceCode,
					scopes: request.scopes,
					redirectUri: NO_REDIRECT,
				}),
			);
			return toTokenResult(result);
		} finally {
			this.#polls.delete(request.deviceCode);
		}
	}

	#deviceCodeApp(): App {
		this.#deviceApp ??= this.#createApp({
			sendGetRequestAsync: (url, options, timeout) =>
				this.#baseNetwork().sendGetRequestAsync(url, options, timeout),
			sendPostRequestAsync: async <T>(
				url: string,
				options?: { headers?: Record<string, string>; body?: string },
			) => {
				const params = new URLSearchParams(options?.body ?? "");
				const code = params.get("code");
				if (code === null || params.get("grant_type") !== "authorization_code" || !this.#polls.has(code)) {
					return this.#baseNetwork().sendPostRequestAsync<T>(url, options);
				}
				params.set("grant_type", DEVICE_CODE_GRANT);
				params.set("device_code", code);
				params.delete("code");
				params.delete("redirect_uri");
				const signal = this.#polls.get(code);
				const response = await this.#post(url, params.toString(), signal, options?.headers);
				return response as unknown as { headers: Record<string, string>; body: T; status: number };
			},
		});
		return this.#deviceApp;
	}

	/** The caller's network client, or fetch. */
	#baseNetwork(): NetworkClient {
		return this.#config.networkClient ?? fetchNetworkClient();
	}

	/** A form POST that stops when `signal` aborts: fetch's own request is cancelled; a caller's client is raced. */
	async #post(
		url: string,
		body: string,
		signal: AbortSignal | undefined,
		headers: Record<string, string> = {},
	): Promise<{ status: number; headers: Record<string, string>; body: Record<string, unknown> }> {
		const options = {
			headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded;charset=utf-8" },
			body,
		};
		if (this.#config.networkClient === undefined) return fetchNetworkClient().post(url, options, signal);
		return raceSignal(
			this.#config.networkClient.sendPostRequestAsync<Record<string, unknown>>(url, options),
			signal,
		);
	}

	#getApp(): App {
		this.#app ??= this.#createApp(this.#config.networkClient);
		return this.#app;
	}

	#createApp(networkClient: NetworkClient | undefined): App {
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
				...(networkClient === undefined
					? {}
					: { networkClient: networkClient as unknown as Msal.INetworkModule }),
				loggerOptions: msalLoggerOptions(msal, config.log),
			},
		};
		return credential.kind === "none"
			? new msal.PublicClientApplication(options)
			: new msal.ConfidentialClientApplication(options);
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
