/**
 * The RSA key the fake signs its tokens with.
 *
 * Generated once per process, lazily and asynchronously: RSA-2048 key generation costs 100–400 ms, so every
 * fake started in the same test process shares one key instead of paying that again. It lives only in memory.
 */
import { createHash, generateKeyPair, type KeyObject } from "node:crypto";
import { buildSelfSignedCertificate } from "./certificate.js";
import { base64url } from "./jwt.js";

export interface SigningKey {
	privateKey: KeyObject;
	publicKey: KeyObject;
	/** Key id: the base64url SHA-1 certificate thumbprint, which is how Entra names its keys (`kid` = `x5t`). */
	kid: string;
	/** The JWK Set served at `/discovery/v2.0/keys`. */
	jwks: { keys: Record<string, unknown>[] };
}

let pending: Promise<SigningKey> | undefined;

async function createSigningKey(): Promise<SigningKey> {
	const keys = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((resolve, reject) => {
		generateKeyPair("rsa", { modulusLength: 2048 }, (error, publicKey, privateKey) =>
			error ? reject(error) : resolve({ publicKey, privateKey }),
		);
	});
	const der = buildSelfSignedCertificate(keys, { subject: "o365-testkit token signing", days: 2 });
	const kid = base64url(createHash("sha1").update(der).digest());
	const jwk = keys.publicKey.export({ format: "jwk" });
	return {
		...keys,
		kid,
		jwks: {
			keys: [
				{
					kty: "RSA",
					use: "sig",
					alg: "RS256",
					kid,
					x5t: kid,
					n: jwk.n,
					e: jwk.e,
					x5c: [der.toString("base64")],
				},
			],
		},
	};
}

/** The process-wide signing key, generated on first call. */
export function getSigningKey(): Promise<SigningKey> {
	pending ??= createSigningKey().catch((error: unknown) => {
		pending = undefined; // let a later call retry instead of caching the failure
		throw error;
	});
	return pending;
}
