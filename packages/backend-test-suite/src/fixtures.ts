import { randomBytes, randomUUID } from "node:crypto";
import type { CacheDocument, CachedAccount, CachedCredential } from "@o365/core";

/** One signed-in user of a {@link msalCacheFixture}, with the secrets stored for them. */
export interface FixtureUser {
	username: string;
	/** `<object id>.<tenant id>`, as MSAL keys accounts. */
	homeAccountId: string;
	accessToken: string;
	refreshToken: string;
	idToken: string;
	/** Space-separated scopes of the user's tokens. */
	target: string;
}

/** A realistic MSAL token cache: the document, its JSON and the users in it. */
export interface MsalCacheFixture {
	document: CacheDocument;
	/** The document as msal-node serializes it. */
	json: string;
	users: FixtureUser[];
}

/** Options of {@link msalCacheFixture}. */
export interface MsalCacheFixtureOptions {
	/**
	 * How many users to sign in.
	 * @default 2
	 */
	users?: number;
	/**
	 * The application's client id; pass the same one to fixtures you combine.
	 * @default a random GUID
	 */
	clientId?: string;
	/**
	 * The directory (tenant) id of the users.
	 * @default a random GUID
	 */
	tenantId?: string;
	/**
	 * Grows every access token by this many characters, to make large documents.
	 * @default 0
	 */
	padding?: number;
}

const ENVIRONMENT = "login.microsoftonline.com";
const TARGET =
	"https://graph.microsoft.com/Mail.Read https://graph.microsoft.com/User.Read openid profile offline_access";

function base64url(value: string | Buffer): string {
	return Buffer.from(value).toString("base64url");
}

/** A JWT-shaped access or id token with random claims and signature (never verifiable). */
function fakeJwt(claims: Record<string, unknown>): string {
	const header = base64url(JSON.stringify({ typ: "JWT", alg: "RS256", kid: randomUUID() }));
	const payload = base64url(JSON.stringify({ ...claims, nonce: randomUUID() }));
	return `${header}.${payload}.${base64url(randomBytes(256))}`;
}

/**
 * Builds a valid MSAL token cache (the document msal-node and MSAL Python store) with `users`
 * signed-in users, each with an account, an id token, an access token and a refresh token whose
 * secrets are random. Keys follow MSAL's `<home account id>-<environment>-<type>-…` scheme.
 */
export function msalCacheFixture(options: MsalCacheFixtureOptions = {}): MsalCacheFixture {
	const clientId = options.clientId ?? randomUUID();
	const tenantId = options.tenantId ?? randomUUID();
	const now = Math.floor(Date.now() / 1000);
	const document: CacheDocument = {
		Account: {},
		IdToken: {},
		AccessToken: {},
		RefreshToken: {},
		AppMetadata: {
			[`appmetadata-${ENVIRONMENT}-${clientId}`]: { client_id: clientId, environment: ENVIRONMENT },
		},
	};
	const users: FixtureUser[] = [];
	for (let index = 0; index < (options.users ?? 2); index += 1) {
		const objectId = randomUUID();
		const homeAccountId = `${objectId}.${tenantId}`;
		const username = `user${index}.${objectId.slice(0, 8)}@contoso.test`;
		const user: FixtureUser = {
			username,
			homeAccountId,
			accessToken:
				fakeJwt({ oid: objectId, tid: tenantId, upn: username, scp: "Mail.Read User.Read" }) +
				"A".repeat(options.padding ?? 0),
			refreshToken: `1.AXkA${base64url(randomBytes(600))}`,
			idToken: fakeJwt({ oid: objectId, tid: tenantId, preferred_username: username }),
			target: TARGET,
		};
		users.push(user);
		const credential = (type: string, secret: string): CachedCredential => ({
			home_account_id: homeAccountId,
			environment: ENVIRONMENT,
			credential_type: type,
			client_id: clientId,
			secret,
		});
		const account: CachedAccount = {
			home_account_id: homeAccountId,
			environment: ENVIRONMENT,
			realm: tenantId,
			local_account_id: objectId,
			username,
			authority_type: "MSSTS",
			name: `User ${index}`,
			client_info: base64url(JSON.stringify({ uid: objectId, utid: tenantId })),
		};
		document.Account[`${homeAccountId}-${ENVIRONMENT}-${tenantId}`] = account;
		document.IdToken[`${homeAccountId}-${ENVIRONMENT}-idtoken-${clientId}-${tenantId}-`] = {
			...credential("IdToken", user.idToken),
			realm: tenantId,
		};
		document.AccessToken[
			`${homeAccountId}-${ENVIRONMENT}-accesstoken-${clientId}-${tenantId}-${TARGET}`.toLowerCase()
		] = {
			...credential("AccessToken", user.accessToken),
			realm: tenantId,
			target: TARGET,
			token_type: "Bearer",
			cached_at: String(now),
			expires_on: String(now + 3600),
			extended_expires_on: String(now + 7200),
		};
		document.RefreshToken[`${homeAccountId}-${ENVIRONMENT}-refreshtoken-${clientId}--`] = {
			...credential("RefreshToken", user.refreshToken),
			target: TARGET,
		};
	}
	return { document, json: JSON.stringify(document), users };
}

/** The entries of every document together (for adding users to a cache). */
export function combineCacheDocuments(...documents: CacheDocument[]): CacheDocument {
	const combined: CacheDocument = {
		Account: {},
		IdToken: {},
		AccessToken: {},
		RefreshToken: {},
		AppMetadata: {},
	};
	for (const document of documents) {
		Object.assign(combined.Account, document.Account);
		Object.assign(combined.IdToken, document.IdToken);
		Object.assign(combined.AccessToken, document.AccessToken);
		Object.assign(combined.RefreshToken, document.RefreshToken);
		Object.assign(combined.AppMetadata, document.AppMetadata);
	}
	return structuredClone(combined);
}
