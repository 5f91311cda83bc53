// Key-list validation and parsing for AesGcmCryptographyManager. Messages name a key by its
// position, never by its id or material: a reversed "key:id" entry would otherwise print the key.

import type { KeyObject } from "node:crypto";
import { ConfigurationError } from "../errors.js";
import { nodeCrypto } from "../utils/builtins.js";

/** AES-256 key size, in bytes. */
export const KEY_BYTES = 32;

/** 1–64 printable ASCII characters other than `:` and `,` (the envelope and variable separators). */
const KEY_ID = /^[\x21-\x2b\x2d-\x39\x3b-\x7e]{1,64}$/;
const BASE64_TEXT = /^[A-Za-z0-9+/_-]+={0,2}$/;
const BASE64URL_TEXT = /^[A-Za-z0-9_-]*$/;
const GENERATE_HINT = "generate one with AesGcmCryptographyManager.generateKey()";

/** One configured key: the id stored in every envelope it encrypts, and its 32 bytes. */
export interface AesGcmKey {
	/**
	 * Names the key inside every envelope it encrypts, so that the right key is picked after a
	 * rotation. Not secret. 1–64 printable ASCII characters other than `:` and `,`, e.g. `"2025-06"`.
	 */
	id: string;
	/**
	 * Exactly 32 bytes: raw bytes, or their base64 or base64url text (padding optional).
	 * Make one with `AesGcmCryptographyManager.generateKey()`.
	 */
	key: Uint8Array | string;
}

export function isKeyId(id: unknown): id is string {
	return typeof id === "string" && KEY_ID.test(id);
}

/**
 * Validates a key list (non-empty, valid unique ids, 32-byte keys) and imports the keys, newest
 * first. `where(i)` names entry `i` in messages, e.g. `keys[0]` or `O365_TOKEN_KEYS entry 1`.
 */
export function importKeys(keys: unknown, where: (index: number) => string): Map<string, KeyObject> {
	if (!Array.isArray(keys) || keys.length === 0) {
		throw new ConfigurationError(
			"invalid_option",
			`AesGcmCryptographyManager needs at least one key: pass keys: [{ id: "2025-06", key }] (the first key encrypts); ${GENERATE_HINT}.`,
		);
	}
	const imported = new Map<string, KeyObject>();
	const firstIndexOf = new Map<string, number>();
	keys.forEach((entry: unknown, index) => {
		const { id, key } = (entry ?? {}) as Partial<AesGcmKey>;
		if (!isKeyId(id)) {
			throw new ConfigurationError(
				"invalid_option",
				`${where(index)} has an invalid key id: use 1–64 printable ASCII characters without ":", "," or spaces, e.g. "2025-06".`,
			);
		}
		const earlier = firstIndexOf.get(id);
		if (earlier !== undefined) {
			throw new ConfigurationError(
				"invalid_option",
				`${where(index)} has the same key id as ${where(earlier)}; give every key its own id (a key's id is stored with what it encrypts).`,
			);
		}
		firstIndexOf.set(id, index);
		const bytes = decodeKey(key, where(index));
		imported.set(id, nodeCrypto().createSecretKey(bytes));
		bytes.fill(0);
	});
	return imported;
}

function decodeKey(key: unknown, where: string): Buffer {
	let bytes: Buffer;
	if (key instanceof Uint8Array) {
		bytes = Buffer.from(key); // a copy, so the caller's array can be wiped or reused
	} else if (typeof key === "string") {
		const text = key.trim();
		if (!BASE64_TEXT.test(text)) {
			throw new ConfigurationError(
				"invalid_option",
				`${where}: the key is not base64 or base64url text; pass 32 random bytes encoded as base64 (${GENERATE_HINT}).`,
			);
		}
		bytes = Buffer.from(text, "base64"); // Node's base64 decoder also reads the base64url alphabet
	} else {
		throw new ConfigurationError(
			"invalid_option",
			`${where}: the key must be a Uint8Array of ${KEY_BYTES} bytes or its base64 text; ${GENERATE_HINT}.`,
		);
	}
	if (bytes.length !== KEY_BYTES) {
		const length = bytes.length;
		bytes.fill(0);
		throw new ConfigurationError(
			"invalid_option",
			`${where}: the key is ${length} bytes, but AES-256 needs exactly ${KEY_BYTES} (44 base64 characters); ${GENERATE_HINT}.`,
		);
	}
	return bytes;
}

/**
 * Parses `id:base64key[,id:base64key...]` (newest first; surrounding spaces ignored). A single
 * entry without an id gets the id `"default"`.
 */
export function parseKeysVariable(value: string | undefined, variable: string): AesGcmKey[] {
	const format = `"<id>:<base64 key>" (newest first, comma-separated when rotating keys, e.g. "2025-06:<new key>,2024-12:<old key>")`;
	if (value === undefined || value.trim() === "") {
		throw new ConfigurationError(
			"invalid_option",
			`the environment variable ${variable} is not set or is empty; set it to ${format}. For a key, ${GENERATE_HINT}.`,
		);
	}
	const entries = value.split(",").map((entry) => entry.trim());
	const keys =
		entries.length === 1 && !value.includes(":")
			? [{ id: "default", key: value.trim() }]
			: entries.map((entry, index) => {
					const colon = entry.indexOf(":");
					if (colon > 0) return { id: entry.slice(0, colon).trim(), key: entry.slice(colon + 1).trim() };
					const problem = entry === "" ? "is empty" : "has no key id";
					throw new ConfigurationError(
						"invalid_option",
						`${variable} entry ${index + 1} ${problem}; write ${variable} as ${format}.`,
					);
				});
	importKeys(keys, (index) => `${variable} entry ${index + 1}`); // validates with the variable's wording
	return keys;
}

export function toBase64Url(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/** Strict base64url (unpadded, canonical) decoding; `undefined` for anything else. */
export function fromBase64Url(text: string): Buffer | undefined {
	if (!BASE64URL_TEXT.test(text) || text.length % 4 === 1) return undefined;
	const bytes = Buffer.from(text, "base64url");
	return bytes.toString("base64url") === text ? bytes : undefined;
}
