import type { AuthorizationFlow } from "./auth/authorization-flow.js";
import { AUTH_FLOW_TYPES, type AuthFlowType } from "./auth/credentials.js";
import type { NetworkClient } from "./auth/msal-client.js";
import type { AccessTokenOptions } from "./auth/token-manager.js";
import type { TokenBackend } from "./backend/token-backend.js";
import { HTTP_OPTION_KEYS, type HttpOptions } from "./http/options.js";
import { CLOUD_NAMES, type CloudName } from "./protocol/clouds.js";
import { Protocol } from "./protocol/protocol.js";
import {
	isAbsoluteUrl,
	isBoolean,
	isHeaderInput,
	isOneOf,
	isSignal,
	isString,
	isStringArray,
	type OptionCheck,
	type OptionChecks,
	optionsReader,
} from "./utils/read-options.js";

/** Options of {@link Connection}; `Account` accepts them too. The request options are in {@link HttpOptions}. */
export interface ConnectionOptions extends HttpOptions {
	/**
	 * How to sign in: `authorization` (a confidential web app acting for users), `public` (a
	 * desktop/CLI app without a secret, acting for users), `credentials` (the app itself) or
	 * `password` (a user's name and password; legacy, see the README).
	 * @default "authorization"
	 */
	authFlowType?: AuthFlowType;
	/**
	 * Directory (tenant) id or domain. Required for `credentials`, where 'common' is refused, and
	 * for `password`, where 'common' and 'consumers' are refused ('organizations' is accepted).
	 * @default "common"
	 */
	tenantId?: string;
	/**
	 * Where tokens are kept between runs.
	 * @default new MemoryTokenBackend() (nothing survives the process: pass a persistent backend)
	 */
	tokenBackend?: TokenBackend;
	/**
	 * The user whose tokens to use, when the backend holds several; for `password`, the user who
	 * signs in. @default the first stored account
	 */
	username?: string;
	/**
	 * The user's password, for `authFlowType: "password"` only (legacy: no MFA, no personal
	 * accounts; prefer `public`). Kept in memory, never stored, logged or put in an error.
	 * @default undefined
	 */
	password?: string;
	/** Save tokens right after each refresh (rotated refresh tokens are then never lost). @default true */
	storeTokenAfterRefresh?: boolean;
	/** The API protocol: its service URL and scope prefix. @default new MSGraphProtocol({ cloud }) */
	protocol?: Protocol;
	/**
	 * National cloud for sign-in and Graph hosts; when a `protocol` is given too, it must be the
	 * protocol's cloud (else `invalid_option`). @default the protocol's cloud, else "global"
	 */
	cloud?: CloudName;
	/** Where users are sent back after consenting. @default the cloud's `/common/oauth2/nativeclient` page */
	redirectUri?: string;
	/** msal-node `authority` (full URL); overrides `cloud` + `tenantId`. @default `<cloud authority host>/<tenantId>` */
	authority?: string;
	/** msal-node `knownAuthorities`: hosts trusted without instance discovery. @default undefined */
	knownAuthorities?: string[];
	/** msal-node `authorityMetadata` (JSON string of the OpenID configuration). @default undefined */
	authorityMetadata?: string;
	/** msal-node `cloudDiscoveryMetadata` (JSON string). @default undefined */
	cloudDiscoveryMetadata?: string;
	/** msal-node `networkClient` for identity-platform requests (proxies, tests). @default fetch */
	networkClient?: NetworkClient;
}

export const CONNECTION_OPTION_KEYS: readonly (keyof ConnectionOptions)[] = [
	"authFlowType",
	"tenantId",
	"tokenBackend",
	"username",
	"password",
	"storeTokenAfterRefresh",
	"protocol",
	"cloud",
	"redirectUri",
	"authority",
	"knownAuthorities",
	"authorityMetadata",
	"cloudDiscoveryMetadata",
	"networkClient",
	...HTTP_OPTION_KEYS,
];

export interface AuthorizationUrlOptions {
	/** @default the connection's `redirectUri` */
	redirectUri?: string;
	/** OpenID `prompt`, e.g. `select_account`, `consent`, `login`. @default undefined */
	prompt?: string;
	/** Pre-fills the username on the sign-in page. @default undefined */
	loginHint?: string;
	/** Skips home-realm discovery, e.g. `contoso.com`. @default undefined */
	domainHint?: string;
	/** How the code comes back: in the redirect URL or as a POSTed form. @default "query" */
	responseMode?: "query" | "form_post";
}

export interface RequestTokenOptions {
	/** The `flow` getAuthorizationUrl() returned (user flows). */
	flow?: AuthorizationFlow;
	/** Scopes of the app token (credentials flow) or of the password sign-in. @default [`<scope prefix>.default`] */
	requestedScopes?: string[];
	/** Save the token in the backend. @default true */
	storeToken?: boolean;
	/** Stops waiting for the identity platform. */
	signal?: AbortSignal;
}

const isProtocol: OptionCheck = (value) =>
	value instanceof Protocol
		? undefined
		: "a Protocol instance such as new MSGraphProtocol({ cloud: 'china' })";

/** Other strings are left to getCloud, whose message names the unknown cloud. */
const isCloud: OptionCheck = (value) =>
	typeof value === "string" ? undefined : `one of ${CLOUD_NAMES.map((name) => `'${name}'`).join(", ")}`;

const isHttpsUrl: OptionCheck = (value) =>
	typeof value === "string" && URL.canParse(value) && value.startsWith("https://")
		? undefined
		: "an https URL such as 'https://login.microsoftonline.com/<tenant id>'";

const isNetworkClient: OptionCheck = (value) => {
	const client = value as Partial<Record<keyof NetworkClient, unknown>> | null;
	return typeof client === "object" &&
		client !== null &&
		typeof client.sendGetRequestAsync === "function" &&
		typeof client.sendPostRequestAsync === "function"
		? undefined
		: "an object with sendGetRequestAsync and sendPostRequestAsync methods (msal-node's INetworkModule)";
};

const isLogger: OptionCheck = (value) => {
	const logger = value as Record<string, unknown> | null;
	return typeof logger === "object" &&
		logger !== null &&
		["debug", "info", "warn", "error"].every(
			(level) => logger[level] === undefined || typeof logger[level] === "function",
		)
		? undefined
		: "an object whose debug, info, warn and error (each optional) are functions, e.g. console";
};

/** Checks of the constructor options; the rest (flow, tenant, backend, request numbers) are checked where used. */
export const CONNECTION_OPTION_CHECKS: OptionChecks<ConnectionOptions> = {
	authFlowType: isOneOf(AUTH_FLOW_TYPES),
	username: isString,
	storeTokenAfterRefresh: isBoolean,
	protocol: isProtocol,
	cloud: isCloud,
	redirectUri: isAbsoluteUrl,
	authority: isHttpsUrl,
	knownAuthorities: isStringArray,
	authorityMetadata: isString,
	cloudDiscoveryMetadata: isString,
	networkClient: isNetworkClient,
	defaultHeaders: isHeaderInput,
	raiseHttpErrors: isBoolean,
	logger: isLogger,
};

export const readConnectionOptions = optionsReader<ConnectionOptions>(
	CONNECTION_OPTION_KEYS,
	CONNECTION_OPTION_CHECKS,
	{ where: "Connection", code: "invalid_option", strict: true },
);

export const readAuthorizationUrlOptions = optionsReader<AuthorizationUrlOptions>(
	["redirectUri", "prompt", "loginHint", "domainHint", "responseMode"],
	{
		redirectUri: isAbsoluteUrl,
		prompt: isString,
		loginHint: isString,
		domainHint: isString,
		responseMode: isOneOf(["query", "form_post"]),
	},
	{ where: "getAuthorizationUrl()", code: "invalid_option" },
);

/** `flow` and `requestedScopes` are read here and checked by requestToken (they have their own error codes). */
export const readRequestTokenOptions = optionsReader<RequestTokenOptions>(
	["flow", "requestedScopes", "storeToken", "signal"],
	{ storeToken: isBoolean, signal: isSignal },
	{ where: "requestToken()", code: "invalid_option" },
);

export const readAccessTokenOptions = optionsReader<AccessTokenOptions>(
	["signal", "forceRefresh", "claims"],
	{ signal: isSignal, forceRefresh: isBoolean, claims: isString },
	{ where: "getAccessToken()", code: "invalid_option" },
);

export const readRefreshTokenOptions = optionsReader<{ signal?: AbortSignal }>(
	["signal"],
	{ signal: isSignal },
	{ where: "refreshToken()", code: "invalid_option" },
);
