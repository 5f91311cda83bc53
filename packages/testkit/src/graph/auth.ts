/**
 * Bearer-token checks of the fake Graph, and the 401 answers and CAE challenges Graph sends.
 */
import { decodeJwt } from "../jwt.js";
import type { FakeIdentityPlatform } from "../types.js";
import { type GraphReply, type GraphRequest, graphError } from "./replies.js";

/** Who a request acts for. */
export interface GraphPrincipal {
	/** `"user"` for a delegated token, `"app"` for an app-only one. */
	kind: "user" | "app";
	/** Object id of the user (delegated) or service principal (app-only). */
	oid: string | undefined;
	/** `preferred_username` (or `upn`) of a delegated token. */
	username: string | undefined;
	name: string | undefined;
}

/** Client id of Microsoft Graph, which Graph names in its challenges. */
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/** Audiences Graph accepts: its app id and the resource URIs of its clouds. */
const GRAPH_AUDIENCES: ReadonlySet<string> = new Set([
	GRAPH_APP_ID,
	"https://graph.microsoft.com",
	"https://graph.microsoft.us",
	"https://dod-graph.microsoft.us",
	"https://graph.microsoft.de",
	"https://microsoftgraph.chinacloudapi.cn",
	"https://canary.graph.microsoft.com",
]);

/** `https://<authority host>/common/oauth2/authorize`, named in `WWW-Authenticate`. */
export function authorizationUri(identityPlatform: FakeIdentityPlatform | undefined): string {
	return `https://${identityPlatform?.authorityHost ?? "login.microsoftonline.com"}/common/oauth2/authorize`;
}

function unauthorized(request: GraphRequest, message: string, authorizeUri: string): GraphReply {
	return graphError(request, 401, message, {
		code: "InvalidAuthenticationToken",
		headers: {
			"WWW-Authenticate": `Bearer realm="", authorization_uri="${authorizeUri}", client_id="${GRAPH_APP_ID}"`,
		},
	});
}

/** The 401 of a Continuous Access Evaluation challenge; `claims` is the claims JSON, sent base64-encoded. */
export function claimsChallenge(request: GraphRequest, claims: string, authorizeUri: string): GraphReply {
	const encoded = Buffer.from(claims, "utf8").toString("base64");
	return graphError(
		request,
		401,
		"Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp",
		{
			code: "InvalidAuthenticationToken",
			headers: {
				"WWW-Authenticate": `Bearer realm="", authorization_uri="${authorizeUri}", error="insufficient_claims", claims="${encoded}"`,
			},
		},
	);
}

function stringClaim(claims: Record<string, unknown>, name: string): string | undefined {
	const value = claims[name];
	return typeof value === "string" ? value : undefined;
}

function principalOf(claims: Record<string, unknown>): GraphPrincipal {
	const username = stringClaim(claims, "preferred_username") ?? stringClaim(claims, "upn");
	const isApp = claims.idtyp === "app" || (claims.idtyp !== "user" && claims.scp === undefined && !username);
	return {
		kind: isApp ? "app" : "user",
		oid: stringClaim(claims, "oid"),
		username: isApp ? undefined : username,
		name: isApp ? undefined : stringClaim(claims, "name"),
	};
}

function audienceAccepted(aud: unknown): boolean {
	return typeof aud === "string" && GRAPH_AUDIENCES.has(aud.replace(/\/+$/, "").toLowerCase());
}

/**
 * The principal of a request's bearer token, or the 401 Graph would answer. With an identity platform the token
 * must be one it issued, unexpired, for Graph; without one any non-empty bearer passes (a JWT's claims are read
 * unchecked, an opaque token acts as a delegated user with no known identity).
 */
export function authenticate(
	request: GraphRequest,
	identityPlatform: FakeIdentityPlatform | undefined,
): GraphPrincipal | GraphReply {
	const authorizeUri = authorizationUri(identityPlatform);
	const match = /^Bearer\s+(.*)$/i.exec(request.headers.authorization ?? "");
	const token = match?.[1]?.trim() ?? "";
	if (token === "") return unauthorized(request, "Access token is empty.", authorizeUri);
	const jwt = decodeJwt(token);
	if (!identityPlatform) {
		return jwt
			? principalOf(jwt.payload)
			: { kind: "user", oid: undefined, username: undefined, name: undefined };
	}
	if (!jwt) {
		return unauthorized(
			request,
			"Access token validation failed. Invalid JWT token: it is not well formed.",
			authorizeUri,
		);
	}
	const exp = jwt.payload.exp;
	if (typeof exp === "number" && exp <= Math.floor(Date.now() / 1000)) {
		return unauthorized(request, "Lifetime validation failed, the token is expired.", authorizeUri);
	}
	const claims = identityPlatform.verifyAccessToken(token);
	if (!claims) {
		return unauthorized(
			request,
			"Access token validation failed. Invalid signature, issuer or token type.",
			authorizeUri,
		);
	}
	if (!audienceAccepted(claims.aud)) {
		return unauthorized(request, "Access token validation failed. Invalid audience.", authorizeUri);
	}
	return principalOf(claims);
}

export function isReply(value: GraphPrincipal | GraphReply): value is GraphReply {
	return "status" in value;
}
