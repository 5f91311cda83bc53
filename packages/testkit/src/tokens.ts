/**
 * Minting Entra-shaped tokens and token responses.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { base64url, base64urlJson, decodeJwt, signJwt, verifyJwtSignature } from "./jwt.js";
import type { RegisteredClient } from "./registry.js";
import { delegatedScp, echoScopes, type ParsedScopes } from "./scopes.js";
import { issuerOf, type ServerState } from "./state.js";
import type { AccessTokenClaims, FakeUser } from "./types.js";

/** id_token lifetime, in seconds (Entra: one hour, independent of the access token). */
const ID_TOKEN_LIFETIME = 3600;

/** How the client authenticated: Entra's `azpacr` (0 public, 1 secret, 2 certificate). */
export type ClientAuthMethod = "none" | "secret" | "certificate";

const AZPACR: Record<ClientAuthMethod, string> = { none: "0", secret: "1", certificate: "2" };

/** Pairwise subject: stable per user and application, different across applications, as in Entra. */
function pairwiseSubject(oid: string, clientId: string): string {
	return base64url(createHash("sha256").update(`${oid}|${clientId.toLowerCase()}`).digest()).slice(0, 43);
}

/** Object id of the service principal of an application in a tenant (stable, derived). */
function servicePrincipalId(clientId: string, tenantId: string): string {
	const hex = createHash("sha256").update(`sp|${clientId.toLowerCase()}|${tenantId}`).digest("hex");
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function nowSeconds(): number {
	return Math.floor(Date.now() / 1000);
}

function signToken(state: ServerState, payload: Record<string, unknown>): string {
	return signJwt({ typ: "JWT", kid: state.signingKey.kid }, payload, state.signingKey.privateKey);
}

interface AccessTokenInput {
	client: RegisteredClient;
	authMethod: ClientAuthMethod;
	scopes: ParsedScopes;
	tenantId: string;
	/** The signed-in user; absent for app-only tokens. */
	user?: FakeUser;
}

export function issueAccessToken(state: ServerState, input: AccessTokenInput): string {
	const iat = nowSeconds();
	const { client, user } = input;
	const tenantId = user?.tenantId ?? input.tenantId;
	const oid = user?.oid ?? servicePrincipalId(client.clientId, tenantId);
	const claims: AccessTokenClaims = {
		aud: input.scopes.resource,
		iss: issuerOf(state, tenantId),
		iat,
		nbf: iat,
		exp: iat + state.settings.accessTokenLifetime,
		appid: client.clientId,
		azp: client.clientId,
		appidacr: AZPACR[input.authMethod],
		azpacr: AZPACR[input.authMethod],
		idtyp: user ? "user" : "app",
		oid,
		sub: user ? pairwiseSubject(user.oid, client.clientId) : oid,
		tid: tenantId,
		uti: randomBytes(16).toString("base64url"),
		ver: "2.0",
	};
	if (user) {
		claims.scp = delegatedScp(input.scopes, client.defaultDelegatedScopes);
		claims.name = user.name;
		claims.preferred_username = user.username;
		claims.upn = user.username;
	} else if (client.appRoles.length > 0) {
		claims.roles = [...client.appRoles];
	}
	return signToken(state, claims);
}

export function issueIdToken(
	state: ServerState,
	client: RegisteredClient,
	user: FakeUser,
	nonce?: string,
): string {
	const iat = nowSeconds();
	return signToken(state, {
		aud: client.clientId,
		iss: issuerOf(state, user.tenantId),
		iat,
		nbf: iat,
		exp: iat + ID_TOKEN_LIFETIME,
		name: user.name,
		oid: user.oid,
		preferred_username: user.username,
		sub: pairwiseSubject(user.oid, client.clientId),
		tid: user.tenantId,
		uti: randomBytes(16).toString("base64url"),
		ver: "2.0",
		...(nonce !== undefined ? { nonce } : {}),
	});
}

/** Entra's `client_info`: base64url JSON `{uid, utid}`, from which msal builds `homeAccountId` = `uid.utid`. */
export function clientInfo(user: FakeUser): string {
	return base64urlJson({ uid: user.oid, utid: user.tenantId });
}

/** Verifies an access token issued by this fake: signature with its key, issuer shape and expiry. */
export function verifyAccessToken(state: ServerState, token: string): AccessTokenClaims | undefined {
	const jwt = decodeJwt(token);
	if (!jwt || jwt.header.kid !== state.signingKey.kid) return undefined;
	if (!verifyJwtSignature(jwt, state.signingKey.publicKey)) return undefined;
	const claims = jwt.payload as Partial<AccessTokenClaims>;
	if (typeof claims.tid !== "string" || claims.iss !== issuerOf(state, claims.tid)) return undefined;
	if (typeof claims.exp !== "number" || claims.exp <= nowSeconds()) return undefined;
	if (claims.idtyp !== "app" && claims.idtyp !== "user") return undefined; // an id_token, not an access token
	return claims as AccessTokenClaims;
}

/** Parts of a token response before the `omit`, `scopeEcho` and `refreshIn` knobs are applied. */
export interface TokenResponseParts {
	accessToken: string;
	scopes: ParsedScopes;
	refreshToken?: string;
	idToken?: string;
	clientInfo?: string;
}

export function tokenResponse(state: ServerState, parts: TokenResponseParts): Record<string, unknown> {
	const { settings } = state;
	const lifetime = settings.accessTokenLifetime;
	const body: Record<string, unknown> = {
		token_type: "Bearer",
		scope: echoScopes(parts.scopes, settings.scopeEcho),
		expires_in: lifetime,
		ext_expires_in: lifetime,
		access_token: parts.accessToken,
		...(settings.refreshIn !== undefined ? { refresh_in: settings.refreshIn } : {}),
		...(parts.refreshToken !== undefined ? { refresh_token: parts.refreshToken } : {}),
		...(parts.idToken !== undefined ? { id_token: parts.idToken } : {}),
		...(parts.clientInfo !== undefined ? { client_info: parts.clientInfo } : {}),
	};
	for (const field of settings.omit) delete body[field];
	return body;
}

/** A correlation id for error bodies: the caller's `client-request-id` when it sent one. */
export function correlationIdOf(query: Record<string, string>): string {
	return query["client-request-id"] ?? randomUUID();
}
