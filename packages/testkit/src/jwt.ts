/**
 * Compact JWS (JWT) encoding, decoding and RS256 / PS256 signatures with `node:crypto` only.
 */
import { constants, type KeyObject, sign, verify } from "node:crypto";
import { parseJsonObject } from "./http.js";

/** JWS algorithms the fake signs with (RS256) or accepts in client assertions (RS256, PS256). */
export type JwtAlgorithm = "RS256" | "PS256";

export type JsonObject = Record<string, unknown>;

/** A JWT split into its parts; nothing is verified yet. */
export interface DecodedJwt {
	header: JsonObject;
	payload: JsonObject;
	/** `base64url(header).base64url(payload)`: the bytes the signature covers. */
	signingInput: string;
	signature: Buffer;
}

export function base64url(data: Buffer | string): string {
	return Buffer.from(data).toString("base64url");
}

export function base64urlJson(value: unknown): string {
	return base64url(JSON.stringify(value));
}

function signOptions(alg: JwtAlgorithm, key: KeyObject) {
	// RFC 7518 §3.5: PS256 uses MGF1 with SHA-256 and a salt as long as the hash.
	return alg === "PS256"
		? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
		: { key, padding: constants.RSA_PKCS1_PADDING };
}

/** Signs `payload` into a compact JWT. `header.alg` is set from `alg`. */
export function signJwt(
	header: JsonObject,
	payload: JsonObject,
	key: KeyObject,
	alg: JwtAlgorithm = "RS256",
): string {
	const signingInput = `${base64urlJson({ ...header, alg })}.${base64urlJson(payload)}`;
	const signature = sign("sha256", Buffer.from(signingInput), signOptions(alg, key));
	return `${signingInput}.${base64url(signature)}`;
}

function parseJsonPart(part: string): JsonObject | undefined {
	return parseJsonObject(Buffer.from(part, "base64url").toString("utf8"));
}

/** Splits and parses a compact JWT; `undefined` when it is not three base64url parts with JSON objects. */
export function decodeJwt(token: string): DecodedJwt | undefined {
	const parts = token.split(".");
	if (parts.length !== 3) return undefined;
	const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
	const header = parseJsonPart(headerPart);
	const payload = parseJsonPart(payloadPart);
	if (!header || !payload) return undefined;
	return {
		header,
		payload,
		signingInput: `${headerPart}.${payloadPart}`,
		signature: Buffer.from(signaturePart, "base64url"),
	};
}

/** Checks the signature of a decoded JWT with `key`, using the algorithm its header names (RS256 or PS256 only). */
export function verifyJwtSignature(jwt: DecodedJwt, key: KeyObject): boolean {
	const alg = jwt.header.alg;
	if (alg !== "RS256" && alg !== "PS256") return false;
	try {
		return verify("sha256", Buffer.from(jwt.signingInput), signOptions(alg, key), jwt.signature);
	} catch {
		return false;
	}
}
