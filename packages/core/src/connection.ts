import {
	type AuthorizationFlow,
	createAuthorizationFlow,
	parseAuthorizationResponse,
	type RedirectResponse,
	readAuthorizationFlow,
} from "./auth/authorization-flow.js";
import { CredentialTokenSource, isTokenCredential, noSignIn } from "./auth/credential-token-source.js";
import { type AuthFlowType, type Credentials, parseCredentials, validateTenant } from "./auth/credentials.js";
import type { DeviceCodeSignInOptions } from "./auth/device-code.js";
import { MsalClient } from "./auth/msal-client.js";
import { PasswordSignIn } from "./auth/password-flow.js";
import type { TokenCredential } from "./auth/token-credential.js";
import { type AccessTokenInfo, type AccessTokenOptions, TokenManager } from "./auth/token-manager.js";
import { assertTokenBackend } from "./backend/assert-token-backend.js";
import { MemoryTokenBackend } from "./backend/memory-token-backend.js";
import type { TokenBackend } from "./backend/token-backend.js";
import {
	type AuthorizationUrlOptions,
	type ConnectionOptions,
	type RequestTokenOptions,
	readAccessTokenOptions,
	readAuthorizationUrlOptions,
	readConnectionOptions,
	readRefreshTokenOptions,
	readRequestTokenOptions,
} from "./connection-options.js";
import { AuthenticationError, ConfigurationError, O365Error } from "./errors.js";
import { type BatchOptions, type BatchRequest, type BatchResponse, runBatch } from "./http/batch.js";
import type { RequestBody } from "./http/body.js";
import { type RequestOptions, resolveHttpConfig } from "./http/options.js";
import { PageIterator, type PaginateOptions } from "./http/pagination.js";
import {
	assertRequestUrl,
	readBatchOptions,
	readBatchRequests,
	readPaginateOptions,
	readRequestOptions,
	readRequestWithDataOptions,
} from "./http/read-request-options.js";
import { HttpClient, normalizeMethod } from "./http/request.js";
import { SafeLogger } from "./logging/logger.js";
import { signInCloud } from "./protocol/clouds.js";
import { MSGraphProtocol } from "./protocol/ms-graph-protocol.js";
import type { Protocol } from "./protocol/protocol.js";
import { readRawScopes } from "./protocol/scopes.js";
import { abortError, raceSignal } from "./utils/abort.js";
import { describeValue } from "./utils/read-options.js";

/**
 * python-o365's `Connection`: signs in with msal-node, keeps the tokens in the token backend and
 * hands out valid access tokens.
 */
export class Connection {
	readonly clientId: string;
	readonly tenantId: string;
	readonly authFlowType: AuthFlowType;
	readonly tokenBackend: TokenBackend;
	readonly storeTokenAfterRefresh: boolean;
	readonly protocol: Protocol;
	readonly redirectUri: string;
	/** The protocol's `.default` scope: the app token's, and every app-permission request's. */
	readonly #appScopes: string[];
	readonly #tokens: TokenManager;
	/** Where access tokens come from: `#tokens`, or the TokenCredential the connection was given. */
	readonly #source: Pick<TokenManager, "getAccessToken" | "getAccessTokenInfo">;
	readonly #credential: CredentialTokenSource | undefined;
	readonly #msal: MsalClient;
	readonly #http: HttpClient;
	/** The password flow's user and password (the password is private to it); undefined for other flows. */
	readonly #passwordSignIn: PasswordSignIn | undefined;

	/** `credentials`: the client id (and secret or certificate), or any `TokenCredential` as the token source. */
	constructor(credentials: Credentials | TokenCredential, connectionOptions?: ConnectionOptions) {
		const options = readConnectionOptions(connectionOptions);
		const credential = isTokenCredential(credentials) ? credentials : undefined;
		const authFlowType = options.authFlowType ?? (credential ? "credentials" : "authorization");
		const cloud = signInCloud({
			cloud: options.cloud,
			protocolCloud: options.protocol?.cloud,
			authority: options.authority,
		});
		const parsed = credential
			? { clientId: "", credential: { kind: "none" as const } }
			: readCredentials(credentials, authFlowType);
		this.clientId = parsed.clientId;
		this.authFlowType = authFlowType;
		// A credential knows its own tenant: ours is only checked, and passed on when given.
		this.tenantId = validateTenant(options.tenantId, credential ? "authorization" : authFlowType);
		this.#passwordSignIn = PasswordSignIn.fromOptions(authFlowType, {
			username: options.username,
			password: options.password,
			tenantId: options.tenantId === undefined ? undefined : this.tenantId,
		});
		this.tokenBackend = options.tokenBackend ?? new MemoryTokenBackend();
		assertTokenBackend(this.tokenBackend);
		this.storeTokenAfterRefresh = options.storeTokenAfterRefresh ?? true;
		this.protocol = options.protocol ?? new MSGraphProtocol({ cloud: cloud.name });
		this.redirectUri = options.redirectUri ?? `${cloud.authorityHost}/common/oauth2/nativeclient`;
		this.#appScopes = [this.protocol.prefixScope(".default")];
		const log = new SafeLogger(options.logger);
		this.#msal = new MsalClient({
			clientId: parsed.clientId,
			credential: parsed.credential,
			authority: options.authority ?? `${cloud.authorityHost}/${this.tenantId}`,
			knownAuthorities: options.knownAuthorities,
			authorityMetadata: options.authorityMetadata,
			cloudDiscoveryMetadata: options.cloudDiscoveryMetadata,
			networkClient: options.networkClient,
			tokenBackend: this.tokenBackend,
			log,
		});
		this.#tokens = new TokenManager({
			msal: this.#msal,
			backend: this.tokenBackend,
			authFlowType,
			appScopes: this.#appScopes,
			storeTokenAfterRefresh: this.storeTokenAfterRefresh,
			username: options.username,
			log,
		});
		this.#credential =
			credential &&
			new CredentialTokenSource(credential, { scopes: this.#appScopes, tenantId: options.tenantId });
		this.#source = this.#credential ?? this.#tokens;
		this.#http = new HttpClient(resolveHttpConfig(options), this.protocol.serviceUrl, (tokenOptions) =>
			this.#source.getAccessToken(tokenOptions),
		);
	}

	/** The user whose tokens are used; setting it switches user for later calls. */
	get username(): string | undefined {
		return this.#tokens.username;
	}

	set username(username: string | undefined) {
		if (username !== undefined && typeof username !== "string") {
			throw new ConfigurationError(
				"invalid_option",
				`username must be a string such as 'adele@contoso.com' (or undefined for the first stored user); got ${describeValue(username)}.`,
			);
		}
		this.#tokens.username = username;
	}

	/**
	 * Step 1 of a user sign-in: the URL to send the user to, and the `flow` to keep (server-side)
	 * until they come back. Scopes are sent as given; a scope helper name (`basic`) is refused
	 * with `invalid_scopes`: `Account.getAuthorizationUrl` and `protocol.getScopesFor` expand them.
	 */
	async getAuthorizationUrl(
		requestedScopes: string[],
		urlOptions?: AuthorizationUrlOptions,
	): Promise<{ url: string; flow: AuthorizationFlow }> {
		const options = readAuthorizationUrlOptions(urlOptions);
		if (this.#credential) throw noSignIn("getAuthorizationUrl()");
		if (this.authFlowType === "credentials") {
			throw new ConfigurationError(
				"invalid_option",
				"the credentials flow has no user sign-in; call requestToken(null) or account.authenticate().",
			);
		}
		if (this.authFlowType === "password") {
			throw new ConfigurationError(
				"invalid_option",
				"the password flow signs in without a browser; call account.authenticate() or requestToken(null).",
			);
		}
		const { flow, codeChallenge } = createAuthorizationFlow(
			readRawScopes(requestedScopes, this.protocol.scopeHelpers),
			options.redirectUri ?? this.redirectUri,
		);
		const url = await this.#msal.authorizationUrl({
			scopes: flow.scopes,
			redirectUri: flow.redirectUri,
			state: flow.state,
			nonce: flow.nonce,
			codeChallenge,
			prompt: options.prompt,
			loginHint: options.loginHint,
			domainHint: options.domainHint,
			responseMode: options.responseMode,
		});
		return { url, flow };
	}

	/**
	 * Step 2 of a user sign-in (pass the redirected URL or form body and the stored `flow`), the
	 * app's sign-in in the credentials flow, or the user's in the password flow (pass `null`).
	 * Resolves `true` once the token is held (and stored unless `storeToken: false`); failures
	 * reject with typed errors. A redirected URL must come back to `flow.redirectUri` (scheme,
	 * host, port and path; a relative one such as `req.originalUrl` is resolved against it), else
	 * `invalid_redirect` before the code is sent.
	 */
	async requestToken(
		authorizationResponse: RedirectResponse | null | undefined,
		tokenOptions?: RequestTokenOptions,
	): Promise<boolean> {
		const options = readRequestTokenOptions(tokenOptions);
		// Before anything is sent: an authorization code sent for an aborted call would be spent.
		if (options.signal?.aborted) throw abortError(options.signal);
		const store = options.storeToken ?? true;
		if (this.#credential) {
			await this.#credential.getAccessToken({ signal: options.signal, forceRefresh: true });
			return true;
		}
		if (this.authFlowType === "credentials") {
			const scopes =
				options.requestedScopes === undefined
					? this.#appScopes
					: readRawScopes(options.requestedScopes, this.protocol.scopeHelpers);
			const result = await raceSignal(this.#msal.appToken({ scopes, forceRefresh: false }), options.signal);
			await this.#tokens.acceptSignIn(result, store);
			return true;
		}
		if (this.#passwordSignIn !== undefined) {
			const scopes =
				options.requestedScopes === undefined
					? this.#appScopes
					: readRawScopes(options.requestedScopes, this.protocol.scopeHelpers);
			const result = await raceSignal(
				this.#passwordSignIn.signIn(this.#msal, scopes, options.signal),
				options.signal,
			);
			await this.#tokens.acceptSignIn(result, store);
			return true;
		}
		if (authorizationResponse === null || authorizationResponse === undefined) {
			throw new AuthenticationError(
				"invalid_redirect",
				"requestToken needs the URL the user was redirected to after consenting.",
			);
		}
		const flow = readAuthorizationFlow(options.flow);
		const response = parseAuthorizationResponse(authorizationResponse, flow.redirectUri);
		if (response.state !== flow.state) {
			throw new AuthenticationError(
				"state_mismatch",
				"the redirect's state does not match this sign-in's flow: it belongs to another sign-in or was forged. Start again with getAuthorizationUrl().",
			);
		}
		const result = await raceSignal(
			this.#msal.redeemCode({
				code: response.code,
				scopes: flow.scopes,
				redirectUri: flow.redirectUri,
				codeVerifier: flow.codeVerifier,
				state: flow.state,
				nonce: flow.nonce,
				clientInfo: response.clientInfo,
			}),
			options.signal,
		);
		await this.#tokens.acceptSignIn(result, store);
		return true;
	}

	/**
	 * Signs a user in with the device code flow (`public` and `authorization` flows): shows the
	 * code through `onDeviceCode`, polls until the user answered, then stores the token like any
	 * sign-in. `account.authenticate({ method: "deviceCode" })` is the usual way in; scopes are
	 * sent as given (expand helpers with `protocol.getScopesFor`). Rejects with
	 * `authorization_denied` (declined), `consent_timeout` (the code expired, or `timeoutMs`
	 * passed) or `aborted` (the poll in flight is cancelled; a cancel lands at once).
	 */
	async requestTokenByDeviceCode(
		requestedScopes: string[],
		options: Omit<DeviceCodeSignInOptions, "scopes">,
	): Promise<boolean> {
		if (this.authFlowType !== "public" && this.authFlowType !== "authorization") {
			throw new ConfigurationError(
				"invalid_option",
				`device code sign-in is for the public and authorization flows; this connection uses '${this.authFlowType}'.`,
			);
		}
		if (options.signal?.aborted) throw abortError(options.signal);
		const scopes = readRawScopes(requestedScopes, this.protocol.scopeHelpers);
		// Loaded on first use: most programs never sign in this way.
		const { signInWithDeviceCode } = await import("./auth/device-code.js");
		const result = await signInWithDeviceCode(this.#msal, { ...options, scopes });
		await this.#tokens.acceptSignIn(result, true);
		return true;
	}

	/** python-o365's `load_token_from_backend`: replaces the in-memory tokens with the stored ones. */
	async loadTokenFromBackend(): Promise<boolean> {
		const loaded = await this.tokenBackend.loadToken();
		this.#tokens.invalidate();
		return loaded;
	}

	/**
	 * A valid access token for the selected user (or the app), refreshed when it is about to
	 * expire. Concurrent callers share one refresh, which first asks the backend's
	 * `shouldRefreshToken` hook (`false`/`null` with an expired stored token rejects with
	 * `token_request_failed`). Rejects with `sign_in_required` when only a new interactive sign-in
	 * can help, and with `aborted`, sending nothing, when `signal` is already aborted.
	 */
	getAccessToken(options?: AccessTokenOptions): Promise<string> {
		let checked: AccessTokenOptions;
		try {
			checked = readAccessTokenOptions(options);
		} catch (error) {
			return Promise.reject(error);
		}
		return this.#source.getAccessToken(checked);
	}

	/** As {@link getAccessToken}, with the token's expiry and renewal times in epoch ms (for `asTokenCredential`). */
	getAccessTokenInfo(options?: AccessTokenOptions): Promise<AccessTokenInfo> {
		try {
			return this.#source.getAccessTokenInfo(readAccessTokenOptions(options));
		} catch (error) {
			return Promise.reject(error);
		}
	}

	/** Forces a refresh now (keeps a refresh token alive, recovers from a revoked access token). */
	async refreshToken(refreshOptions?: { signal?: AbortSignal }): Promise<boolean> {
		const options = readRefreshTokenOptions(refreshOptions);
		await this.#source.getAccessToken({ signal: options.signal, forceRefresh: true });
		return true;
	}

	/** Whether a usable token is held: a refresh token, or an unexpired access token. */
	async isAuthenticated(): Promise<boolean> {
		if (this.#credential) return this.#credential.holdsToken;
		await this.#tokens.ensureLoaded();
		return this.#holdsUsableToken(this.username);
	}

	/** Users holding a refresh token or an unexpired access token. */
	async getAuthenticatedUsernames(): Promise<string[]> {
		await this.#tokens.ensureLoaded();
		return this.tokenBackend
			.getAllAccounts()
			.map((account) => account.username)
			.filter((username) => this.#holdsUsableToken(username));
	}

	#holdsUsableToken(username: string | undefined): boolean {
		const selection = username === undefined ? {} : { username };
		return this.tokenBackend.tokenIsLongLived(selection) || !this.tokenBackend.tokenIsExpired(selection);
	}

	// ---- Requests (python-o365's get/post/…/oauth_request/naive_request) ----
	// `url` is absolute, or relative to `protocol.serviceUrl` with python-o365's resource shorthands
	// (`/me/messages`, `user:x@y/events`, `x@y/calendar`, `group:<id>/drive`, `site:<id>/lists`).
	// A 4xx/5xx response throws a GraphError (code `http_error`, `unauthorized` or `throttled`)
	// unless `raiseHttpErrors` is false; see HttpOptions for retries, timeouts and the budget.

	/** An authenticated GET; `options.params` adds query parameters. */
	get(url: string | URL, options?: RequestOptions): Promise<Response> {
		return this.#send("GET", url, undefined, options);
	}

	/** An authenticated POST; an object or array `data` is sent as JSON, anything else as it is. */
	post(url: string | URL, data?: RequestBody, options?: RequestOptions): Promise<Response> {
		return this.#send("POST", url, data, options);
	}

	/** An authenticated PUT (`data` as for {@link post}). */
	put(url: string | URL, data?: RequestBody, options?: RequestOptions): Promise<Response> {
		return this.#send("PUT", url, data, options);
	}

	/** An authenticated PATCH (`data` as for {@link post}). */
	patch(url: string | URL, data?: RequestBody, options?: RequestOptions): Promise<Response> {
		return this.#send("PATCH", url, data, options);
	}

	/** An authenticated DELETE. */
	delete(url: string | URL, options?: RequestOptions): Promise<Response> {
		return this.#send("DELETE", url, undefined, options);
	}

	/** An authenticated request with any method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS; any case). */
	async oauthRequest(
		url: string | URL,
		method: string,
		options?: RequestOptions & { data?: RequestBody },
	): Promise<Response> {
		const { data, ...rest } = readRequestWithDataOptions(options);
		return this.#send(normalizeMethod(method), url, data, rest, true);
	}

	/**
	 * A request without the bearer, for pre-authenticated URLs (upload sessions, async job
	 * monitors); otherwise as {@link oauthRequest} (default headers, retries, timeouts).
	 */
	async naiveRequest(
		url: string | URL,
		method: string,
		options?: RequestOptions & { data?: RequestBody },
	): Promise<Response> {
		const { data, ...rest } = readRequestWithDataOptions(options);
		return this.#send(normalizeMethod(method), url, data, rest, false);
	}

	/** Checks the caller's URL and options, then sends; a bad one rejects (never throws) before anything is sent. */
	#send(
		method: string,
		url: string | URL,
		data: RequestBody,
		options: RequestOptions | undefined,
		authenticated = true,
	): Promise<Response> {
		let checked: RequestOptions;
		try {
			assertRequestUrl(url);
			checked = readRequestOptions(options);
		} catch (error) {
			return Promise.reject(error);
		}
		return this.#http.request(method, url, data, checked, authenticated);
	}

	/**
	 * The items of a collection across its pages (`@odata.nextLink`), up to `limit`; the last page's
	 * `@odata.deltaLink` is then on the iterator:
	 * `const users = con.paginate("/users/delta"); for await (const u of users) …; users.deltaLink`.
	 */
	paginate<T = Record<string, unknown>>(
		url: string | URL,
		paginateOptions?: PaginateOptions,
	): PageIterator<T> {
		assertRequestUrl(url);
		const options = readPaginateOptions(paginateOptions);
		const fetchPage = async (pageUrl: string, pageOptions: RequestOptions): Promise<unknown> => {
			const response = await this.#http.request("GET", pageUrl, undefined, {
				...pageOptions,
				raiseHttpErrors: true,
			});
			return response.json();
		};
		return new PageIterator<T>(fetchPage, typeof url === "string" ? url : url.href, options);
	}

	/**
	 * JSON batching: sends `requests` through `$batch`, 20 at a time (a request shares its call
	 * with those it `dependsOn`), sends steps Graph throttled again after their own `Retry-After`
	 * (within `retryBudgetMs`, up to `requestRetries` times), and returns every result, keyed by id
	 * in the order given. A step's error status is a result, not a thrown error.
	 */
	batch(requests: readonly BatchRequest[], batchOptions?: BatchOptions): Promise<Map<string, BatchResponse>> {
		let options: BatchOptions;
		let checked: BatchRequest[];
		try {
			options = readBatchOptions(batchOptions);
			checked = readBatchRequests(requests);
		} catch (error) {
			return Promise.reject(error);
		}
		const config = this.#http.config;
		return runBatch(
			checked,
			{
				serviceUrl: this.#http.serviceUrl,
				post: async (payload, postOptions) => {
					const response = await this.#http.request("POST", "$batch", payload, {
						...postOptions,
						raiseHttpErrors: true,
					});
					return response.json();
				},
				retries: config.requestRetries,
				budgetMs: config.retryBudgetMs,
				backoffMs: config.retryBackoffMs,
				log: new SafeLogger(config.logger),
			},
			options,
		);
	}
}

/** The credentials, parsed; a Proxy or getter that throws while they are read is refused like bad credentials. */
function readCredentials(credentials: unknown, authFlowType: AuthFlowType) {
	try {
		return parseCredentials(credentials, authFlowType);
	} catch (error) {
		if (error instanceof O365Error) throw error;
		throw new ConfigurationError(
			"invalid_credentials",
			"reading the credentials threw (see the cause); pass the client id, or a plain array [clientId, clientSecret] / [clientId, { thumbprint, privateKey }].",
			{ cause: error },
		);
	}
}
