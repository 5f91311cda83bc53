/**
 * Client authentication at the token endpoint: none (public clients), client secret, or a certificate-signed
 * client assertion (`private_key_jwt`), checked the way Entra checks them.
 */
import { createHash, timingSafeEqual, X509Certificate } from "node:crypto";
import { OAuthError, oauthError } from "./errors.js";
import { decodeJwt, type JsonObject, verifyJwtSignature } from "./jwt.js";
import type { RegisteredCertificate, RegisteredClient } from "./registry.js";
import type { ServerState } from "./state.js";
import type { ClientAuthMethod } from "./tokens.js";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Clock skew tolerated on assertion `exp` and `nbf`, in seconds (Entra allows five minutes). */
const CLOCK_SKEW = 300;

export interface AuthenticatedClient {
	client: RegisteredClient;
	method: ClientAuthMethod;
}

function sameSecret(given: string, expected: string): boolean {
	// Hash first so the comparison is constant-time whatever the lengths.
	const a = createHash("sha256").update(given).digest();
	const b = createHash("sha256").update(expected).digest();
	return timingSafeEqual(a, b);
}

/** Hex of a header thumbprint; a value that is not a string names no certificate (empty hex). */
function thumbprintHex(value: unknown): string {
	return typeof value === "string" ? Buffer.from(value, "base64url").toString("hex") : "";
}

function notRegistered(client: RegisteredClient, thumbprint: string): OAuthError {
	return oauthError.client(
		`AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint.toUpperCase()}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${client.clientId}'.]`,
	);
}

/**
 * The algorithm must go with the thumbprint the header names (checked after {@link findCertificate}, so one is
 * named), as msal signs and Entra accepts:
 * `x5t#S256` (SHA-256) with PS256, `x5t` (SHA-1) alone with RS256.
 */
function checkAlgorithm(header: JsonObject): void {
	const alg = header.alg;
	if (alg !== "RS256" && alg !== "PS256") {
		throw oauthError.client(
			`AADSTS5002738: Invalid JWT token. '${String(alg)}' is not a supported signature algorithm.`,
		);
	}
	const namesSha256 = header["x5t#S256"] !== undefined;
	const expected = namesSha256 ? "PS256" : "RS256";
	if (alg !== expected) {
		throw oauthError.client(
			`AADSTS5002730: Invalid JWT token. Unsupported key for the signing algorithm: a certificate named by '${namesSha256 ? "x5t#S256" : "x5t"}' signs with ${expected}, not ${alg}.`,
		);
	}
}

/** Every thumbprint the header sends must name a registered certificate, and the same one. */
function findCertificate(client: RegisteredClient, header: JsonObject): RegisteredCertificate {
	const named: RegisteredCertificate[] = [];
	for (const [field, hash] of [
		["x5t#S256", "sha256"],
		["x5t", "sha1"],
	] as const) {
		if (header[field] === undefined) continue;
		const thumbprint = thumbprintHex(header[field]);
		const found = client.certificates.find((cert) => cert[hash] === thumbprint);
		if (!found) throw notRegistered(client, thumbprint);
		named.push(found);
	}
	const [first, second] = named;
	if (!first) {
		throw oauthError.client(
			"AADSTS700027: The client assertion does not name its certificate: its header needs 'x5t#S256' (SHA-256 thumbprint, signed PS256) or 'x5t' (SHA-1 thumbprint, signed RS256).",
		);
	}
	if (second !== undefined && second !== first) {
		throw oauthError.client(
			"AADSTS700027: Client assertion contains an invalid signature. [Reason - 'x5t' and 'x5t#S256' name different certificates.]",
		);
	}
	return first;
}

/**
 * An `x5c` chain, when sent, must start with the registered certificate itself (compared byte for byte), or with
 * its key when only a public key was registered. It is never trusted on its own.
 */
function checkX5c(header: JsonObject, certificate: RegisteredCertificate): void {
	const chain = header.x5c;
	if (chain === undefined) return;
	const first = Array.isArray(chain) ? chain[0] : undefined;
	let leaf: X509Certificate | undefined;
	try {
		if (typeof first === "string") leaf = new X509Certificate(Buffer.from(first, "base64"));
	} catch {
		leaf = undefined;
	}
	if (!leaf) {
		throw oauthError.client(
			"AADSTS700027: Client assertion contains an invalid signature. [Reason - x5c must be an array of base64 DER certificates, the signing certificate first.]",
		);
	}
	const matches = certificate.der
		? leaf.raw.equals(certificate.der)
		: leaf.publicKey.equals(certificate.publicKey);
	if (!matches) {
		throw oauthError.client(
			"AADSTS700027: Client assertion contains an invalid signature. [Reason - the first certificate of x5c is not the certificate registered on the application.]",
		);
	}
}

/** Token endpoint URLs an assertion may name as `aud`: this server's http URL and the https authority-based one. */
function acceptedAudiences(state: ServerState, tenantSegment: string): Set<string> {
	const audiences = new Set<string>();
	for (const tenant of [tenantSegment, state.tenantId]) {
		audiences.add(`${state.origin}/${tenant}/oauth2/v2.0/token`.toLowerCase());
		audiences.add(`https://${state.authorityHost}/${tenant}/oauth2/v2.0/token`.toLowerCase());
	}
	return audiences;
}

function verifyAssertion(
	state: ServerState,
	client: RegisteredClient,
	form: Record<string, string>,
	tenant: string,
): void {
	if (form.client_assertion_type !== JWT_BEARER) {
		throw oauthError.client(`AADSTS50027: Invalid client_assertion_type; expected '${JWT_BEARER}'.`);
	}
	const jwt = decodeJwt(form.client_assertion ?? "");
	if (!jwt) throw oauthError.client("AADSTS50027: JWT token is invalid or malformed.");
	const { header, payload } = jwt;
	const certificate = findCertificate(client, header);
	checkAlgorithm(header);
	checkX5c(header, certificate);
	if (!verifyJwtSignature(jwt, certificate.publicKey)) {
		throw oauthError.client(
			"AADSTS700027: Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]",
		);
	}
	if (payload.iss !== client.clientId || payload.sub !== client.clientId) {
		throw oauthError.client(
			"AADSTS700021: Client assertion application identifier doesn't match 'client_id' parameter (iss and sub must be the client id).",
		);
	}
	const audience = typeof payload.aud === "string" ? payload.aud.toLowerCase() : "";
	if (!acceptedAudiences(state, tenant).has(audience)) {
		throw oauthError.client(
			`AADSTS700023: Client assertion audience claim does not match Realm issuer. The audience must be the token endpoint URL; got '${String(payload.aud)}'.`,
		);
	}
	const now = Math.floor(Date.now() / 1000);
	const exp = typeof payload.exp === "number" ? payload.exp : 0;
	const nbf = typeof payload.nbf === "number" ? payload.nbf : 0;
	if (exp + CLOCK_SKEW < now || nbf - CLOCK_SKEW > now) {
		throw oauthError.client("AADSTS700024: Client assertion is not within its valid time range.");
	}
	const jti = typeof payload.jti === "string" ? payload.jti : undefined;
	if (state.settings.rejectAssertionReplay && jti !== undefined) {
		if (state.seenAssertionIds.has(jti)) {
			throw oauthError.client("AADSTS700024: Client assertion was already used (jti replay).");
		}
		state.seenAssertionIds.add(jti);
	}
}

/**
 * Finds the client of a token request and checks its credentials.
 * @param tenant the tenant path segment of the request, as sent (assertion audiences contain it).
 */
export function authenticateClient(
	state: ServerState,
	form: Record<string, string>,
	tenant: string,
): AuthenticatedClient {
	const clientId = form.client_id;
	if (!clientId) throw oauthError.missingParameter("client_id");
	const client = state.registry.findClient(clientId);
	if (!client) {
		throw oauthError.unauthorizedClient(
			`AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
		);
	}
	const hasSecret = form.client_secret !== undefined;
	const hasAssertion = form.client_assertion !== undefined;
	if (client.isPublic) {
		if (hasSecret || hasAssertion) {
			throw oauthError.client(
				"AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
			);
		}
		return { client, method: "none" };
	}
	if (hasSecret && hasAssertion) {
		throw new OAuthError(
			400,
			"invalid_request",
			"AADSTS90014: Only one of 'client_secret' and 'client_assertion' may be sent.",
		);
	}
	if (hasSecret) {
		if (client.clientSecret === undefined || !sameSecret(form.client_secret ?? "", client.clientSecret)) {
			throw oauthError.client(
				`AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`,
			);
		}
		return { client, method: "secret" };
	}
	if (hasAssertion) {
		verifyAssertion(state, client, form, tenant);
		return { client, method: "certificate" };
	}
	throw oauthError.client(
		"AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
	);
}
