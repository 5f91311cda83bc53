import { randomBytes } from "node:crypto";
import {
	AesGcmCryptographyManager,
	type AesGcmKey,
	type CacheDocument,
	ConfigurationError,
	MemoryTokenBackend,
	MemoryTokenStore,
	O365Error,
	TokenBackendError,
} from "@o365/core";
import { describe, expect, it } from "vitest";

const OLD_KEY = AesGcmCryptographyManager.generateKey();
const NEW_KEY = AesGcmCryptographyManager.generateKey();
const OLD: AesGcmKey = { id: "2025-06", key: OLD_KEY };
const NEW: AesGcmKey = { id: "2026-01", key: NEW_KEY };
const REFRESH_SECRET = "0.AXoA-refresh-token-secret-QWERTY123456";

function manager(...keys: AesGcmKey[]): AesGcmCryptographyManager {
	return new AesGcmCryptographyManager({ keys: keys.length === 0 ? [OLD] : keys });
}

/** The envelope's fields: [prefix, version, keyId, iv, ciphertext, tag]. */
function fields(envelope: string): string[] {
	return envelope.split(":");
}

/**
 * The same bytes in another spelling: a 22-character base64url tag has 4 unused low bits in its
 * last character; setting one must not be accepted (a lax decoder would still authenticate it).
 */
function nonCanonical(text: string): string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const last = alphabet.indexOf(text.at(-1) as string);
	const spelled = text.slice(0, -1) + alphabet[last ^ 1];
	expect(Buffer.from(spelled, "base64url").equals(Buffer.from(text, "base64url"))).toBe(true);
	return spelled;
}

/** The error `run` throws; fails the test when it does not throw. */
function thrown(run: () => unknown): O365Error {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(O365Error);
		return error as O365Error;
	}
	throw new Error("expected an error");
}

function expectCryptoError(run: () => unknown, ...secrets: string[]): O365Error {
	const error = thrown(run);
	expect(error.code).toBe("backend_crypto");
	for (const secret of secrets) expect(error.message).not.toContain(secret);
	return error;
}

function expectConfigError(run: () => unknown, ...secrets: string[]): ConfigurationError {
	const error = thrown(run);
	expect(error).toBeInstanceOf(ConfigurationError);
	expect(error.code).toBe("invalid_option");
	for (const secret of secrets) expect(error.message).not.toContain(secret);
	return error as ConfigurationError;
}

describe("AesGcmCryptographyManager: encryption", () => {
	it("round-trips unicode, empty and 200 KiB texts", () => {
		const aes = manager();
		const big = randomBytes(150 * 1024).toString("base64"); // 200 KiB of text
		for (const text of ["", "héllo wörld — 日本語 🔐👩‍💻 \u0000 end", big]) {
			expect(aes.decrypt(aes.encrypt(text))).toBe(text);
		}
		expect(big.length).toBe(200 * 1024);
	});

	it("writes a fresh IV each time, so the same text encrypts differently", () => {
		const aes = manager();
		const first = aes.encrypt("same text");
		const second = aes.encrypt("same text");
		expect(first).not.toBe(second);
		expect(fields(first)[3]).not.toBe(fields(second)[3]);
		expect(aes.decrypt(first)).toBe(aes.decrypt(second));
	});

	it("writes a one-line o365enc:v1 envelope naming the newest key, with a 12-byte IV and 16-byte tag", () => {
		const envelope = manager(NEW, OLD).encrypt("hello");
		expect(envelope).toMatch(/^o365enc:v1:2026-01:[\w-]{16}:[\w-]+:[\w-]{22}$/);
		const [, , , iv, ciphertext, tag] = fields(envelope);
		expect(Buffer.from(iv as string, "base64url")).toHaveLength(12);
		expect(Buffer.from(ciphertext as string, "base64url")).toHaveLength(5);
		expect(Buffer.from(tag as string, "base64url")).toHaveLength(16);
	});

	it("stores no 6-character substring of the plaintext, nor its base64", () => {
		const plaintext = JSON.stringify({ RefreshToken: { a: { secret: REFRESH_SECRET } } });
		const envelope = manager().encrypt(plaintext);
		for (let start = 0; start + 6 <= plaintext.length; start += 1) {
			expect(envelope).not.toContain(plaintext.slice(start, start + 6));
		}
		expect(envelope).not.toContain(Buffer.from(REFRESH_SECRET).toString("base64url").slice(0, 12));
		expect(envelope).not.toContain(Buffer.from(REFRESH_SECRET).toString("base64").slice(0, 12));
	});

	it("decrypts after a rotation with [new, old] and encrypts with the new key", () => {
		const before = manager(OLD).encrypt("rotate me");
		const rotated = manager(NEW, OLD);
		expect(rotated.keyIds).toEqual(["2026-01", "2025-06"]);
		expect(rotated.decrypt(before)).toBe("rotate me");
		const after = rotated.encrypt("rotate me");
		expect(fields(after)[2]).toBe("2026-01");
		expect(manager(NEW).decrypt(after)).toBe("rotate me");
	});

	it("refuses an unknown key id, naming it and the configured ids", () => {
		const envelope = manager(NEW).encrypt("secret text");
		const error = expectCryptoError(
			() => manager(OLD).decrypt(envelope),
			"secret text",
			fields(envelope)[4] as string,
		);
		expect(error.message).toContain('key id "2026-01"');
		expect(error.message).toContain('configured: "2025-06"');
		expect(error.message).not.toContain(OLD_KEY);
	});

	it("refuses a wrong key registered under the same id", () => {
		const envelope = manager(OLD).encrypt("secret text");
		const impostor = manager({ id: OLD.id, key: NEW_KEY });
		const error = expectCryptoError(
			() => impostor.decrypt(envelope),
			"secret text",
			fields(envelope)[4] as string,
		);
		expect(error.message).toContain('key "2025-06"');
		for (const key of [OLD_KEY, NEW_KEY]) expect(error.message).not.toContain(key);
	});

	it("rejects every single-bit and single-byte flip in the IV, ciphertext and tag", () => {
		const aes = manager();
		const envelope = aes.encrypt("hi there");
		const parts = fields(envelope);
		let attempts = 0;
		for (const field of [3, 4, 5]) {
			const bytes = Buffer.from(parts[field] as string, "base64url");
			for (let index = 0; index < bytes.length; index += 1) {
				for (const mask of [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff]) {
					const flipped = Buffer.from(bytes);
					flipped[index] = (flipped[index] as number) ^ mask;
					const tampered = parts.with(field, flipped.toString("base64url")).join(":");
					expectCryptoError(() => aes.decrypt(tampered), "hi there");
					attempts += 1;
				}
			}
		}
		expect(attempts).toBe((12 + 8 + 16) * 9);
		expect(aes.decrypt(envelope)).toBe("hi there");
	});

	it("binds the key id and version into the tag: relabelling an envelope fails", () => {
		// One key under two ids: only the header binding tells the envelopes apart.
		const aliases = manager({ id: "a", key: OLD_KEY }, { id: "b", key: OLD_KEY });
		const envelope = aliases.encrypt("relabel");
		expect(aliases.decrypt(envelope)).toBe("relabel");
		expectCryptoError(() => aliases.decrypt(envelope.replace(":a:", ":b:")), "relabel");
		const both = manager(NEW, OLD);
		expect(expectCryptoError(() => both.decrypt(envelope.replace(":v1:", ":v2:"))).message).toContain(
			"upgrade",
		);
	});

	it("refuses plaintext instead of falling back to it", () => {
		const json = JSON.stringify({ RefreshToken: { a: { secret: REFRESH_SECRET } } });
		for (const value of [json, "", "   ", "o365encrypted", "plain text"]) {
			const error = expectCryptoError(() => manager().decrypt(value), REFRESH_SECRET);
			expect(error.message).toContain("not encrypted");
			expect(error.message).toContain("refusing to read plaintext");
		}
	});

	it("refuses malformed envelopes without echoing them", () => {
		const aes = manager();
		const [prefix, version, id, iv, ciphertext, tag] = fields(aes.encrypt("some text"));
		const bad = [
			`${prefix}:${version}:${id}:${iv}:${ciphertext}`, // a field missing
			`${prefix}:${version}:${id}:${iv}:${ciphertext}:${tag}:extra`,
			`${prefix}:${version}:${id}:${iv}==:${ciphertext}:${tag}`, // padded
			`${prefix}:${version}:${id}:${iv}:${ciphertext}:${tag?.slice(0, -2)}`, // short tag
			`${prefix}:${version}:${id}:${iv?.slice(0, -1)}:${ciphertext}:${tag}`, // short IV
			`${prefix}:${version}:${id}:${iv}:${ciphertext}:${nonCanonical(tag as string)}`, // same bytes, spare bit set
			`${prefix}:${version}:${id}:${iv}:${ciphertext}+/:${tag}`, // not base64url
			`${prefix}:${version}::${iv}:${ciphertext}:${tag}`, // empty key id
			`${prefix}::${id}:${iv}:${ciphertext}:${tag}`,
		];
		for (const value of bad) expectCryptoError(() => aes.decrypt(value), ciphertext as string, tag as string);
		expect(thrown(() => aes.decrypt(bad[0] as string)).message).toContain("not a valid encrypted envelope");
		expect(thrown(() => aes.decrypt(`${prefix}:v2:${id}:${iv}:${ciphertext}:${tag}`)).message).toContain(
			"format v2",
		);
	});

	it("ignores whitespace around an envelope (e.g. a trailing newline)", () => {
		const aes = manager();
		expect(aes.decrypt(`  ${aes.encrypt("x")}\n`)).toBe("x");
	});

	it("binds associatedData: another context, or none, is refused", () => {
		const keys = [OLD];
		const fileA = new AesGcmCryptographyManager({ keys, associatedData: "fs:/srv/a/o365_token.txt" });
		const fileB = new AesGcmCryptographyManager({ keys, associatedData: "fs:/srv/b/o365_token.txt" });
		const sameAsBytes = new AesGcmCryptographyManager({
			keys,
			associatedData: new TextEncoder().encode("fs:/srv/a/o365_token.txt"),
		});
		const envelope = fileA.encrypt("context bound");
		expect(envelope).not.toContain("srv");
		expect(sameAsBytes.decrypt(envelope)).toBe("context bound");
		expectCryptoError(() => fileB.decrypt(envelope), "context bound");
		expectCryptoError(() => manager(OLD).decrypt(envelope), "context bound");
		expectCryptoError(() => fileA.decrypt(manager(OLD).encrypt("no context")), "no context");
	});

	it("refuses to encrypt text UTF-8 cannot carry (a lone surrogate)", () => {
		expectCryptoError(() => manager().encrypt("broken \ud800 text"));
	});
});

describe("AesGcmCryptographyManager: keys and configuration", () => {
	it("generates distinct 32-byte base64 keys", () => {
		const key = AesGcmCryptographyManager.generateKey();
		expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
		expect(Buffer.from(key, "base64")).toHaveLength(32);
		expect(AesGcmCryptographyManager.generateKey()).not.toBe(key);
	});

	it("accepts raw bytes, base64 and base64url (with or without padding) as the same key", () => {
		const bytes = randomBytes(32);
		const envelope = manager({ id: "k", key: bytes }).encrypt("same key");
		for (const key of [
			bytes.toString("base64"),
			bytes.toString("base64url"),
			bytes.toString("base64").replace(/=+$/, ""),
			new Uint8Array(bytes),
		]) {
			expect(manager({ id: "k", key }).decrypt(envelope)).toBe("same key");
		}
	});

	it("copies a Uint8Array key, so wiping the caller's array does not change it", () => {
		const bytes = new Uint8Array(randomBytes(32));
		const aes = manager({ id: "k", key: bytes });
		const envelope = aes.encrypt("kept");
		bytes.fill(0);
		expect(aes.decrypt(envelope)).toBe("kept");
	});

	it("rejects bad key lists with invalid_option, without printing key material", () => {
		const short = randomBytes(16).toString("base64");
		const long = randomBytes(48).toString("base64");
		const hex = randomBytes(32).toString("hex");
		const cases: [unknown, RegExp][] = [
			[[], /at least one key/],
			[undefined, /at least one key/],
			[[{ id: "a", key: short }], /keys\[0\]: the key is 16 bytes, but AES-256 needs exactly 32/],
			[[{ id: "a", key: long }], /48 bytes/],
			[[{ id: "a", key: hex }], /48 bytes/],
			[[{ id: "a", key: randomBytes(31) }], /31 bytes/],
			[[{ id: "a", key: "not base64!" }], /not base64/],
			[[{ id: "a", key: 42 }], /Uint8Array of 32 bytes/],
			[[OLD, { id: OLD.id, key: NEW_KEY }], /keys\[1\] has the same key id as keys\[0\]/],
			[[{ id: "a:b", key: OLD_KEY }], /keys\[0\] has an invalid key id/],
			[[OLD, { id: "a,b", key: NEW_KEY }], /keys\[1\] has an invalid key id/],
			[[{ id: "", key: OLD_KEY }], /invalid key id/],
			[[{ id: "has space", key: OLD_KEY }], /invalid key id/],
			[[{ id: "x".repeat(65), key: OLD_KEY }], /invalid key id/],
		];
		for (const [keys, message] of cases) {
			const error = expectConfigError(
				() => new AesGcmCryptographyManager({ keys } as never),
				short,
				long,
				hex,
				OLD_KEY,
				NEW_KEY,
			);
			expect(error.message).toMatch(message);
		}
		const tooShort = expectConfigError(() => manager({ id: "a", key: short }));
		expect(tooShort.message).toContain("generateKey()");
	});

	it("never names an id in construction errors (a reversed key:id pair would print the key)", () => {
		const reversed = { id: OLD_KEY, key: "2025-06" };
		expectConfigError(() => manager(reversed), OLD_KEY);
		expectConfigError(() => manager(reversed, reversed), OLD_KEY);
	});
});

describe("AesGcmCryptographyManager.fromEnv", () => {
	it("reads id:key pairs, newest first, ignoring spaces", () => {
		const env = { O365_TOKEN_KEYS: ` 2026-01:${NEW_KEY} , 2025-06:${OLD_KEY} ` };
		const aes = AesGcmCryptographyManager.fromEnv({ env });
		expect(aes.keyIds).toEqual(["2026-01", "2025-06"]);
		expect(aes.decrypt(manager(OLD).encrypt("old"))).toBe("old");
		expect(fields(aes.encrypt("new"))[2]).toBe("2026-01");
	});

	it('gives a single bare key the id "default"', () => {
		const aes = AesGcmCryptographyManager.fromEnv({ env: { O365_TOKEN_KEYS: `${OLD_KEY}\n` } });
		expect(aes.keyIds).toEqual(["default"]);
		expect(manager({ id: "default", key: OLD_KEY }).decrypt(aes.encrypt("bare"))).toBe("bare");
	});

	it("accepts base64url keys, another variable and associatedData", () => {
		const url = Buffer.from(OLD_KEY, "base64").toString("base64url");
		const aes = AesGcmCryptographyManager.fromEnv({
			variable: "MY_KEYS",
			env: { MY_KEYS: `k1:${url}` },
			associatedData: "ctx",
		});
		const envelope = aes.encrypt("custom");
		expect(
			new AesGcmCryptographyManager({ keys: [{ id: "k1", key: OLD_KEY }], associatedData: "ctx" }).decrypt(
				envelope,
			),
		).toBe("custom");
	});

	it("reads process.env by default", () => {
		const saved = process.env.O365_TOKEN_KEYS;
		process.env.O365_TOKEN_KEYS = `p:${OLD_KEY}`;
		try {
			expect(AesGcmCryptographyManager.fromEnv().keyIds).toEqual(["p"]);
		} finally {
			if (saved === undefined) delete process.env.O365_TOKEN_KEYS;
			else process.env.O365_TOKEN_KEYS = saved;
		}
	});

	it("explains a missing or malformed variable by entry number, without printing keys", () => {
		const short = randomBytes(16).toString("base64");
		const cases: [string | undefined, RegExp][] = [
			[undefined, /O365_TOKEN_KEYS is not set or is empty.*generateKey\(\)/],
			["  ", /O365_TOKEN_KEYS is not set/],
			[`a:${OLD_KEY},,b:${NEW_KEY}`, /O365_TOKEN_KEYS entry 2 is empty/],
			[`a:${OLD_KEY},`, /entry 2 is empty/],
			[`a:${OLD_KEY},${NEW_KEY}`, /O365_TOKEN_KEYS entry 2 has no key id/],
			[`:${OLD_KEY}`, /entry 1 has no key id/],
			[`a:${OLD_KEY},b:${short}`, /O365_TOKEN_KEYS entry 2: the key is 16 bytes/],
			[short, /O365_TOKEN_KEYS entry 1: the key is 16 bytes/],
			[`a:${OLD_KEY},a:${NEW_KEY}`, /entry 2 has the same key id as O365_TOKEN_KEYS entry 1/],
			[`a b:${OLD_KEY}`, /entry 1 has an invalid key id/],
			[`${OLD_KEY}:2025-06`, /entry 1/],
		];
		for (const [value, message] of cases) {
			const error = expectConfigError(
				() => AesGcmCryptographyManager.fromEnv({ env: { O365_TOKEN_KEYS: value } }),
				OLD_KEY,
				NEW_KEY,
				short,
			);
			expect(error.message).toMatch(message);
		}
	});
});

describe("AesGcmCryptographyManager with a token backend", () => {
	function cache(): CacheDocument {
		const home = "oid-adele.tid-1";
		return {
			Account: {
				[`${home}-login.idp.test-tid-1`]: {
					home_account_id: home,
					environment: "login.idp.test",
					realm: "tid-1",
					local_account_id: "oid-adele",
					username: "adele@contoso.test",
					authority_type: "MSSTS",
				},
			},
			IdToken: {},
			AccessToken: {},
			RefreshToken: {
				a: {
					home_account_id: home,
					environment: "login.idp.test",
					credential_type: "RefreshToken",
					client_id: "app",
					secret: REFRESH_SECRET,
				},
			},
			AppMetadata: {},
		};
	}

	it("stores ciphertext, loads it after a rotation, and refuses a tampered value without touching it", async () => {
		const store = new MemoryTokenStore();
		const writer = new MemoryTokenBackend({ store, cryptographyManager: manager(OLD) });
		writer.deserialize(JSON.stringify(cache()), { changed: true });
		expect(await writer.saveToken()).toBe(true);

		const raw = (await writer.read()) as string;
		expect(() => JSON.parse(raw)).toThrow();
		expect(raw).not.toContain(REFRESH_SECRET);
		expect(raw).not.toContain("adele@contoso.test");
		expect(raw.startsWith("o365enc:v1:2025-06:")).toBe(true);

		const rotated = new MemoryTokenBackend({ store, cryptographyManager: manager(NEW, OLD) });
		expect(await rotated.loadToken()).toBe(true);
		expect(rotated.getRefreshToken({ username: "adele@contoso.test" })?.secret).toBe(REFRESH_SECRET);
		expect(await rotated.saveToken({ force: true })).toBe(true);
		expect(store.value?.startsWith("o365enc:v1:2026-01:")).toBe(true);

		const parts = fields(store.value as string);
		const ciphertext = Buffer.from(parts[4] as string, "base64url");
		ciphertext[7] = (ciphertext[7] as number) ^ 0x01;
		const tampered = parts.with(4, ciphertext.toString("base64url")).join(":");
		store.value = tampered;
		const version = store.version;
		const reader = new MemoryTokenBackend({ store, cryptographyManager: manager(NEW, OLD) });
		const error = await reader.loadToken().then(
			() => undefined,
			(caught: unknown) => caught,
		);
		expect(error).toBeInstanceOf(TokenBackendError);
		expect(error).toMatchObject({ code: "backend_crypto", backend: "memory" });
		expect((error as Error).message).not.toContain(REFRESH_SECRET);
		expect(store.value).toBe(tampered);
		expect(store.version).toBe(version);
		expect(reader.hasData).toBe(false);
	});

	it("refuses a plaintext token written before encryption was turned on", async () => {
		const store = new MemoryTokenStore();
		const plain = new MemoryTokenBackend({ store });
		plain.deserialize(JSON.stringify(cache()), { changed: true });
		await plain.saveToken();
		const before = store.value;
		const encrypted = new MemoryTokenBackend({ store, cryptographyManager: manager() });
		await expect(encrypted.loadToken()).rejects.toMatchObject({ code: "backend_crypto" });
		expect(store.value).toBe(before);
	});
});
