/**
 * # Encrypting the stored token
 *
 * {@link AesGcmCryptographyManager} is a ready-made `cryptographyManager` for any token backend:
 * AES-256-GCM with a fresh random IV per save, and key ids so keys can be rotated. Keys come from
 * code or from the `O365_TOKEN_KEYS` environment variable:
 *
 * ```ts
 * import { AesGcmCryptographyManager } from "@o365/core";
 * import { FileSystemTokenBackend } from "@o365/backend-fs";
 * // Once: console.log(AesGcmCryptographyManager.generateKey()), then in the environment:
 * // O365_TOKEN_KEYS="2025-06:<that key>"; to rotate: "2026-01:<new key>,2025-06:<old key>"
 * const tokenPath = ".tokens";
 * const backend = new FileSystemTokenBackend({ tokenPath, cryptographyManager: AesGcmCryptographyManager.fromEnv() });
 * ```
 *
 * ## Envelope
 *
 * What is stored is one line of ASCII text, six fields separated by `:`:
 *
 * ```text
 * o365enc:v1:<keyId>:<iv>:<ciphertext>:<tag>
 * ```
 *
 * `o365enc` marks the value as encrypted and `v1` is the format version; `keyId` names the key
 * that encrypted it (ids are not secret). `iv` (12 bytes), `ciphertext` (the UTF-8 plaintext,
 * same length) and `tag` (16 bytes) are unpadded base64url. The tag authenticates the ciphertext
 * and, as associated data, the header `o365enc:v1:<keyId>:` followed by the optional
 * `associatedData` option, so editing any field, or replaying a value under another key id or
 * context, fails to decrypt. Size: 52 characters plus the key id, plus 4/3 of the plaintext's
 * UTF-8 length.
 *
 * ## Rotating keys
 *
 * Put the new key first and keep the old ones after it: the first key encrypts, every listed key
 * decrypts (chosen by the envelope's key id). A stored token is re-encrypted with the new key the
 * next time it is saved (every token refresh saves); `loadToken()` then `saveToken({ force: true })`
 * does it at once. Remove an old key only once nothing encrypted with it remains.
 */

import type { KeyObject } from "node:crypto";
import { O365Error } from "../errors.js";
import { nodeCrypto } from "../utils/builtins.js";
import {
	type AesGcmKey,
	fromBase64Url,
	importKeys,
	isKeyId,
	KEY_BYTES,
	parseKeysVariable,
	toBase64Url,
} from "./aes-gcm-keys.js";
import type { CryptographyManager } from "./token-backend.js";

export type { AesGcmKey } from "./aes-gcm-keys.js";

const PREFIX = "o365enc";
const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
/** IV length in bytes: 96 bits, GCM's recommended size. */
const IV_BYTES = 12;
/** Authentication tag length in bytes: 128 bits, the full GCM tag. */
const TAG_BYTES = 16;
/** A lone UTF-16 surrogate: UTF-8 cannot carry it, so it would not survive a round trip. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Options of {@link AesGcmCryptographyManager}. */
export interface AesGcmCryptographyManagerOptions {
	/**
	 * The keys, newest first and at least one: the first encrypts, any of them decrypts what it
	 * encrypted (matched by the key id stored in the envelope). Ids must be unique.
	 */
	keys: readonly AesGcmKey[];
	/**
	 * Context bound into every envelope's authentication tag, e.g. the token's location
	 * (`"fs:/srv/app/o365_token.txt"`) or the tenant; a string is taken as UTF-8. A value then
	 * decrypts only with the same associated data, so a token copied to another context is
	 * refused. Not secret and not stored: pass the same value when decrypting.
	 * @default none (empty)
	 */
	associatedData?: string | Uint8Array;
}

/** Options of {@link AesGcmCryptographyManager.fromEnv}. */
export interface AesGcmFromEnvOptions extends Omit<AesGcmCryptographyManagerOptions, "keys"> {
	/**
	 * The environment variable holding `id:base64key[,id:base64key...]`, newest key first; a single
	 * bare base64 key gets the id `"default"`.
	 * @default "O365_TOKEN_KEYS"
	 */
	variable?: string;
	/** Where to read the variable from. @default process.env */
	env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Encrypts the stored token cache with AES-256-GCM (authenticated, fresh random 96-bit IV per
 * encryption) into a versioned text envelope that names its key, so keys can rotate. Decryption
 * never falls back to plaintext: a value that is not an envelope, names an unknown key, or fails
 * authentication (wrong key, tampered data, other associated data) throws an {@link O365Error}
 * coded `backend_crypto`. See the module documentation for the format and a usage example.
 */
export class AesGcmCryptographyManager implements CryptographyManager {
	/** The configured key ids, newest (the one that encrypts) first. */
	readonly keyIds: readonly string[];
	readonly #keys: ReadonlyMap<string, KeyObject>;
	readonly #associatedData: Buffer;

	/**
	 * @throws ConfigurationError `invalid_option` when the list is empty, an id is invalid or
	 * repeated, or a key is not exactly 32 bytes. Messages name the entry by position and never
	 * show key material.
	 */
	constructor(options: AesGcmCryptographyManagerOptions) {
		this.#keys = importKeys(options?.keys, (index) => `keys[${index}]`);
		this.keyIds = Object.freeze([...this.#keys.keys()]);
		const data = options.associatedData ?? "";
		this.#associatedData = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data);
	}

	/** A new random AES-256 key: 32 bytes from the system CSPRNG, as base64 (44 characters). */
	static generateKey(): string {
		return nodeCrypto().randomBytes(KEY_BYTES).toString("base64");
	}

	/**
	 * Builds a manager from an environment variable (default `O365_TOKEN_KEYS`) holding
	 * `id:base64key[,id:base64key...]`, newest first, e.g. `"2026-01:<new key>,2025-06:<old key>"`.
	 * @throws ConfigurationError `invalid_option` when the variable is unset or malformed.
	 */
	static fromEnv(options: AesGcmFromEnvOptions = {}): AesGcmCryptographyManager {
		const { variable = "O365_TOKEN_KEYS", env = process.env, ...rest } = options;
		return new AesGcmCryptographyManager({ ...rest, keys: parseKeysVariable(env[variable], variable) });
	}

	/** Encrypts with the newest key into an `o365enc:v1:…` envelope. */
	encrypt(plaintext: string): string {
		if (typeof plaintext !== "string" || LONE_SURROGATE.test(plaintext)) {
			throw new O365Error(
				"backend_crypto",
				"only well-formed text can be encrypted (a string without lone UTF-16 surrogates).",
			);
		}
		const [id, key] = this.#newest();
		const iv = nodeCrypto().randomBytes(IV_BYTES);
		const header = `${PREFIX}:${VERSION}:${id}`;
		const cipher = nodeCrypto().createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
		cipher.setAAD(this.#aad(header));
		const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
		return `${header}:${toBase64Url(iv)}:${toBase64Url(ciphertext)}:${toBase64Url(cipher.getAuthTag())}`;
	}

	/**
	 * Decrypts an envelope made by {@link encrypt} with any configured key; surrounding whitespace
	 * is ignored.
	 * @throws O365Error `backend_crypto` when the value is not an envelope (plaintext is refused),
	 * names a key id that is not configured, or fails authentication.
	 */
	decrypt(ciphertext: string): string {
		const envelope = typeof ciphertext === "string" ? ciphertext.trim() : "";
		if (!envelope.startsWith(`${PREFIX}:`)) {
			throw new O365Error(
				"backend_crypto",
				`the stored token is not encrypted (it is not an "${PREFIX}:" envelope); refusing to read plaintext. If it was saved before encryption was turned on, delete it and sign in again, or load it once with a backend without a cryptographyManager and save it with one.`,
			);
		}
		const fields = envelope.split(":");
		const version = fields[1] ?? "";
		if (version !== VERSION) {
			throw malformed(
				/^v\d{1,9}$/.test(version)
					? `it uses envelope format ${version}, which this version of @o365/core cannot read (it reads ${VERSION}); upgrade @o365/core`
					: "its format version is missing",
			);
		}
		const [, , id, ivText, dataText, tagText] = fields;
		if (fields.length !== 6 || !isKeyId(id)) throw malformed("it does not have the six fields of the format");
		const key = this.#keys.get(id);
		if (key === undefined) {
			throw new O365Error(
				"backend_crypto",
				`the stored token was encrypted with key id "${id}", which is not configured (configured: ${this.keyIds.map((known) => `"${known}"`).join(", ")}). Add that key after the newest one, e.g. O365_TOKEN_KEYS="${this.keyIds[0]}:<newest key>,${id}:<that key>".`,
			);
		}
		const iv = fromBase64Url(ivText ?? "");
		const data = fromBase64Url(dataText ?? "");
		const tag = fromBase64Url(tagText ?? "");
		if (iv?.length !== IV_BYTES || data === undefined || tag?.length !== TAG_BYTES) {
			throw malformed("its iv, ciphertext or tag is not valid base64url of the right length");
		}
		const decipher = nodeCrypto().createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
		decipher.setAAD(this.#aad(`${PREFIX}:${VERSION}:${id}`));
		decipher.setAuthTag(tag);
		try {
			return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
		} catch (error) {
			throw new O365Error(
				"backend_crypto",
				`the stored token failed authentication with key "${id}": the key is not the one that encrypted it, the data was altered, or the associatedData differs.`,
				{ cause: error },
			);
		}
	}

	#newest(): [string, KeyObject] {
		const id = this.keyIds[0] as string; // the constructor guarantees at least one key
		return [id, this.#keys.get(id) as KeyObject];
	}

	/** The header (which ends in a `:`, after the key id that cannot contain one) then the context. */
	#aad(header: string): Buffer {
		return Buffer.concat([Buffer.from(`${header}:`, "utf8"), this.#associatedData]);
	}
}

function malformed(why: string): O365Error {
	return new O365Error("backend_crypto", `the stored token is not a valid encrypted envelope: ${why}.`);
}
