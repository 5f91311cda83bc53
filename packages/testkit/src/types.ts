/**
 * Public types of the fake identity platform: options, registrations, settings, records and the handle.
 */
import type { FakeBrowser } from "./browser.js";

/** Token-response fields that can be dropped, to test how a client copes without them. */
export type OmittableField =
	| "id_token"
	| "client_info"
	| "refresh_token"
	| "expires_in"
	| "scope"
	| "ext_expires_in";

/** The knobs that may change while the fake runs (`idp.settings.x = ...`); each applies to the next request. */
export interface FakeSettings {
	/**
	 * Lifetime of issued access tokens, in seconds. msal-node treats a token as expired once
	 * `now + 300 > expires_on`, so a value below 300 (e.g. 299 or 60) makes every `acquireTokenSilent` go to the
	 * network; exactly 300 still hits the cache within the same second.
	 * @default 3600
	 */
	accessTokenLifetime: number;
	/** Every `refresh_token` grant returns a new refresh token (and consumes the presented one). @default true */
	rotateRefreshTokens: boolean;
	/** A refresh token that was rotated away is refused with `invalid_grant` (AADSTS70000). @default true */
	rejectRefreshTokenReuse: boolean;
	/**
	 * Form of the `scope` echoed in token responses. msal-node caches the access token under the echoed string,
	 * so this decides whether a later silent call finds it.
	 * - `"asRequested"`: the requested scopes as sent (e.g. `https://graph.microsoft.com/User.Read openid profile`);
	 * - `"short"`: resource prefixes stripped (e.g. `User.Read openid profile`).
	 * @default "asRequested"
	 */
	scopeEcho: "asRequested" | "short";
	/** Fields dropped from every token response. @default [] */
	omit: OmittableField[];
	/** When set, token responses carry `refresh_in` (seconds), which makes msal-node refresh proactively. @default undefined */
	refreshIn: number | undefined;
	/**
	 * Refuse a client assertion whose `jti` was already seen. Off by default because msal-node reuses one
	 * assertion for up to 600 s per application instance, and Entra accepts that.
	 * @default false
	 */
	rejectAssertionReplay: boolean;
	/**
	 * Polling interval the device code endpoint asks for, in seconds (fractions allowed, e.g. 0.05). A poll sooner
	 * than this after the previous one gets `slow_down`.
	 * @default 1
	 */
	deviceCodeInterval: number;
	/** Lifetime of a device code, in seconds; a poll after it gets `expired_token`. @default 900 */
	deviceCodeLifetime: number;
}

/** A device code waiting for its user, as `pendingDeviceCodes()` lists it. */
export interface PendingDeviceCode {
	/** What the user types on `/devicelogin`. */
	userCode: string;
	clientId: string;
	/** Scopes the app asked for. */
	scopes: string[];
}

/** A certificate registered on an application, as a PEM certificate or as a bare public key with its thumbprints. */
export type FakeCertificateCredential =
	| { certificate: string }
	| {
			publicKey: string;
			/** SHA-1 thumbprint (hex, any case) that assertions name in `x5t`. */
			thumbprintSha1?: string;
			/** SHA-256 thumbprint (hex, any case) that assertions name in `x5t#S256`. */
			thumbprintSha256?: string;
	  };

/** An application registration. */
export interface FakeClientRegistration {
	/** Application (client) id. */
	clientId: string;
	/** Client secret of a confidential client. @default undefined */
	clientSecret?: string;
	/** Certificates accepted for `private_key_jwt` client assertions. @default [] */
	certificates?: FakeCertificateCredential[];
	/**
	 * Redirect URIs, matched exactly. A loopback `http://localhost` or `http://127.0.0.1` URI matches any port on
	 * either host (same path), as Entra does for native apps.
	 * @default []
	 */
	redirectUris?: string[];
	/**
	 * Public client: no client authentication, PKCE required.
	 * @default true when neither `clientSecret` nor `certificates` is given, else false
	 */
	isPublic?: boolean;
	/** Application permissions, put in the `roles` claim of app-only tokens. @default [] */
	appRoles?: string[];
	/** `scp` of a delegated token requested with `<resource>/.default` (the app's statically consented scopes). @default ["User.Read"] */
	defaultDelegatedScopes?: string[];
}

/** A user to register. */
export interface FakeUserInput {
	/** User principal name, e.g. `adele@contoso.test`. */
	username: string;
	/** Display name. @default the part of `username` before "@" */
	name?: string;
	/** Object id. @default a random UUID, or one derived from `secretSeed` and `username` when a seed is set */
	oid?: string;
	/** Home tenant id. @default the fake's `tenantId` */
	tenantId?: string;
	/** When set, the browser must give this password to sign in, and the `password` grant checks it. @default undefined */
	password?: string;
	/**
	 * The user must do multi-factor authentication: the `password` grant, which cannot, is refused with
	 * `invalid_grant` (AADSTS50076, suberror `basic_action`); the browser sign-in still works.
	 * @default false
	 */
	mfaRequired?: boolean;
}

/** A registered user, with every default filled in. */
export interface FakeUser {
	readonly username: string;
	readonly name: string;
	readonly oid: string;
	readonly tenantId: string;
	readonly password?: string;
	readonly mfaRequired: boolean;
}

/** Options of `startFakeIdentityPlatform`. The knobs of {@link FakeSettings} can also be given here. */
export interface FakeIdentityPlatformOptions extends Partial<FakeSettings> {
	/** Directory (tenant) id. @default a random UUID, or one derived from `secretSeed` when a seed is set */
	tenantId?: string;
	/** Host of the https authority given to msal-node. It is never contacted. @default "login.idp.test" */
	authorityHost?: string;
	/**
	 * Seed of the key that signs refresh tokens (HMAC). A fake started later with the same seed accepts refresh
	 * tokens issued by an earlier one, even in another process; default tenant and user ids are derived from it
	 * too, so a restarted fake looks the same to a persisted token cache.
	 * @default undefined (a random key per start)
	 */
	secretSeed?: string;
	/** Applications to register. @default [] */
	clients?: FakeClientRegistration[];
	/** Users to register; the first one signs in when the browser names nobody. @default [] */
	users?: FakeUserInput[];
}

/** One request the fake received. Secrets are replaced by `"[redacted]"`. */
export interface RecordedRequest {
	method: string;
	/** Path without the query string. */
	path: string;
	query: Record<string, string>;
	/** Form-encoded body fields (empty for GET). */
	form: Record<string, string>;
	/** `grant_type` of a token request. */
	grantType?: string;
	clientId?: string;
	/**
	 * Header of the `client_assertion` sent, when it was a JWT: `alg`, `x5t` or `x5t#S256`, `x5c`. It holds no secret;
	 * the assertion itself is redacted in `form`.
	 */
	clientAssertionHeader?: Record<string, unknown>;
	/** HTTP status the fake answered with. */
	status: number;
	/** OAuth `error` code when the request failed (also for authorize errors sent by redirect). */
	error?: string;
	/** Epoch milliseconds when the request arrived. */
	at: number;
}

/** An error to return on the next matching token request(s), instead of processing them. */
export interface InjectedFault {
	/** HTTP status. @default 400 */
	status?: number;
	/** OAuth error code. @default "temporarily_unavailable" for 429 and 5xx, else "invalid_request" */
	error?: string;
	/** @default an AADSTS-style text naming the injected fault */
	errorDescription?: string;
	/** Entra `suberror`, e.g. `"basic_action"`. @default undefined */
	suberror?: string;
	/** @default [] */
	errorCodes?: number[];
	/** Seconds, sent as the `Retry-After` header. @default undefined */
	retryAfter?: number;
	/** Only token requests with this `grant_type` match. @default undefined (any) */
	grantType?: string;
	/** How many matching requests fail. @default 1 */
	times?: number;
}

/** Claims of an access token issued by the fake. */
export interface AccessTokenClaims {
	aud: string;
	iss: string;
	tid: string;
	oid: string;
	sub: string;
	appid: string;
	azp: string;
	iat: number;
	nbf: number;
	exp: number;
	uti: string;
	ver: string;
	idtyp: "app" | "user";
	/** Delegated scopes (short names, space-separated); user tokens only. */
	scp?: string;
	/** Application permissions; app-only tokens only. */
	roles?: string[];
	preferred_username?: string;
	upn?: string;
	name?: string;
	[claim: string]: unknown;
}

/** The msal-node `auth` fragment that points msal at this fake without any discovery request. */
export interface FakeMsalConfig {
	/** `https://<authorityHost>/<tenantId>`: msal requires https, the host is never contacted. */
	authority: string;
	/** `[authorityHost]`, which stops instance discovery at login.microsoftonline.com. */
	knownAuthorities: string[];
	/** JSON with this server's http endpoints, which stops OpenID discovery. */
	authorityMetadata: string;
}

/** A running fake of the Microsoft identity platform v2.0 endpoints. */
export interface FakeIdentityPlatform {
	/** `http://127.0.0.1:<port>`. */
	readonly origin: string;
	readonly tenantId: string;
	readonly authorityHost: string;
	/** The msal-node `auth` options to spread (also accepted by `@o365/core` Account options). */
	msalConfig(): FakeMsalConfig;
	addClient(client: FakeClientRegistration): void;
	/** Registers a user and returns it with `oid`, `tenantId` and `name` filled in. */
	addUser(user: FakeUserInput): FakeUser;
	readonly users: readonly FakeUser[];
	/** Every request received, in order, with secrets redacted. */
	readonly requests: readonly RecordedRequest[];
	/** Token-endpoint requests, optionally only those of one `grant_type`. */
	tokenRequests(grantType?: string): RecordedRequest[];
	clearRequests(): void;
	/** Mutable knobs; changes apply to the next request. */
	readonly settings: FakeSettings;
	/** Makes the next matching token request(s) fail with the given error. */
	failNext(fault: InjectedFault): void;
	/** Revokes refresh tokens (all, or those of a username and/or client), which then get `invalid_grant`. */
	revokeRefreshTokens(filter?: { username?: string; clientId?: string }): void;
	/** Verifies an access token this fake issued (signature, issuer, expiry); `undefined` when invalid. */
	verifyAccessToken(token: string): AccessTokenClaims | undefined;
	/**
	 * Plays the user who typed `userCode` on `/devicelogin` and signed in (as `username`, default the first
	 * registered user), or declined when `consent` is `false`. Throws `invalid_options` when no pending code has it.
	 */
	approveDeviceCode(userCode: string, answer?: { username?: string; consent?: boolean }): void;
	/** Plays the user who declined on `/devicelogin`: the app's next poll gets `authorization_declined`. */
	declineDeviceCode(userCode: string): void;
	/** Device codes issued and not yet answered or expired, oldest first. */
	pendingDeviceCodes(): PendingDeviceCode[];
	/** A scripted user agent that signs users in through the authorize endpoint (and `/devicelogin`). */
	readonly browser: FakeBrowser;
	/** Stops the server and drops open connections. */
	close(): Promise<void>;
}
