import type { AuthorizationFlow } from "./auth/authorization-flow.js";
import type { AuthFlowType } from "./auth/credentials.js";
import type { NetworkClient } from "./auth/msal-client.js";
import type { TokenBackend } from "./backend/token-backend.js";
import { HTTP_OPTION_KEYS, type HttpOptions } from "./http/options.js";
import type { CloudName } from "./protocol/clouds.js";
import type { Protocol } from "./protocol/protocol.js";

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
	/** National cloud for sign-in and Graph hosts. @default "global" */
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
