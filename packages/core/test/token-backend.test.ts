import {
	assertTokenBackend,
	BaseTokenBackend,
	type CacheDocument,
	ConfigurationError,
	EnvTokenBackend,
	MemoryTokenBackend,
	MemoryTokenStore,
	TokenBackendError,
} from "@o365/core";
import { describe, expect, it } from "vitest";

const NOW = Math.floor(Date.now() / 1000);
const ADELE = "oid-adele.tid-1";
const MEGAN = "oid-megan.tid-1";

/** A cache document shaped as msal-node writes it, with two users and one app token. */
function sampleCache(): CacheDocument {
	const account = (id: string, username: string) => ({
		home_account_id: id,
		environment: "login.idp.test",
		realm: "tid-1",
		local_account_id: id.split(".")[0] as string,
		username,
		authority_type: "MSSTS",
	});
	const credential = (id: string, type: string, secret: string, extra: Record<string, string> = {}) => ({
		home_account_id: id,
		environment: "login.idp.test",
		credential_type: type,
		client_id: "app",
		secret,
		...extra,
	});
	return {
		Account: {
			[`${MEGAN}-login.idp.test-tid-1`]: account(MEGAN, "megan@contoso.test"),
			[`${ADELE}-login.idp.test-tid-1`]: account(ADELE, "Adele@Contoso.test"),
		},
		IdToken: { a: credential(ADELE, "IdToken", "adele-id-token", { realm: "tid-1" }) },
		AccessToken: {
			a1: credential(ADELE, "AccessToken", "adele-old-at", {
				target: "https://graph.microsoft.com/User.Read openid profile offline_access",
				expires_on: String(NOW + 100),
			}),
			a2: credential(ADELE, "AccessToken", "adele-new-at", {
				target: "https://graph.microsoft.com/Mail.Read",
				expires_on: String(NOW + 3000),
			}),
			m1: credential(MEGAN, "AccessToken", "megan-expired-at", { target: "x", expires_on: String(NOW - 10) }),
			app: credential("", "AccessToken", "app-at", {
				target: "https://graph.microsoft.com/.default",
				expires_on: String(NOW + 3000),
			}),
		},
		RefreshToken: {
			a: credential(ADELE, "RefreshToken", "adele-rt", {
				target: "https://graph.microsoft.com/User.Read offline_access openid profile",
			}),
		},
		AppMetadata: {},
	};
}

describe("BaseTokenBackend accessors (python-o365's surface)", () => {
	const backend = new MemoryTokenBackend();
	backend.deserialize(JSON.stringify(sampleCache()));

	it("lists accounts in a stable order and finds users case-insensitively", () => {
		expect(backend.getAllAccounts().map((a) => a.username)).toEqual([
			"Adele@Contoso.test",
			"megan@contoso.test",
		]);
		expect(backend.getAccount({ username: "adele@contoso.TEST" })?.home_account_id).toBe(ADELE);
		expect(backend.getAccount({ homeAccountId: MEGAN })?.username).toBe("megan@contoso.test");
		expect(backend.getAccount({ username: "nobody@contoso.test" })).toBeUndefined();
	});

	it("picks the longest-lived access token of a user, never 'the first entry'", () => {
		expect(backend.getAccessToken({ username: "adele@contoso.test" })?.secret).toBe("adele-new-at");
		expect(backend.getRefreshToken({ username: "adele@contoso.test" })?.secret).toBe("adele-rt");
		expect(backend.getIdToken({ username: "adele@contoso.test" })?.secret).toBe("adele-id-token");
		expect(backend.getAccessToken({ username: "nobody@contoso.test" })).toBeUndefined();
	});

	it("reports scopes from the refresh token, optionally without the reserved ones", () => {
		expect(backend.getTokenScopes({ username: "adele@contoso.test", removeReserved: true })).toEqual([
			"https://graph.microsoft.com/User.Read",
		]);
		expect(backend.getTokenScopes({ username: "adele@contoso.test" })).toHaveLength(4);
		expect(backend.getTokenScopes({ username: "nobody@contoso.test" })).toBeUndefined();
	});

	it("answers expiry questions per user", () => {
		expect(backend.tokenIsExpired({ username: "adele@contoso.test" })).toBe(false);
		expect(backend.tokenIsExpired({ username: "megan@contoso.test" })).toBe(true);
		expect(backend.tokenIsLongLived({ username: "adele@contoso.test" })).toBe(true);
		expect(backend.tokenIsLongLived({ username: "megan@contoso.test" })).toBe(false);
		expect(backend.tokenExpirationDatetime({ username: "adele@contoso.test" })?.getTime()).toBe(
			(NOW + 3000) * 1000,
		);
	});

	it("removes one user's tokens and marks the cache as changed", () => {
		const copy = new MemoryTokenBackend();
		copy.deserialize(JSON.stringify(sampleCache()));
		expect(copy.hasStateChanged).toBe(false);
		expect(copy.removeData({ username: "adele@contoso.test" })).toBe(true);
		expect(copy.hasStateChanged).toBe(true);
		expect(copy.getAllAccounts().map((a) => a.username)).toEqual(["megan@contoso.test"]);
		expect(copy.getRefreshToken({ username: "adele@contoso.test" })).toBeUndefined();
		expect(Object.values(copy.cache.AccessToken).map((t) => t.secret)).toEqual([
			"megan-expired-at",
			"app-at",
		]);
		expect(copy.removeData({ username: "adele@contoso.test" })).toBe(false);
	});
});

describe("BaseTokenBackend load and save", () => {
	it("saves only when something changed, unless forced", async () => {
		const backend = new MemoryTokenBackend();
		let writes = 0;
		const write = backend.write.bind(backend);
		backend.write = async (value: string) => {
			writes += 1;
			await write(value);
		};
		expect(await backend.saveToken()).toBe(false); // nothing to save
		backend.deserialize(JSON.stringify(sampleCache()), { changed: true });
		expect(await backend.saveToken()).toBe(true);
		expect(await backend.saveToken()).toBe(true);
		expect(writes).toBe(1);
		expect(await backend.saveToken({ force: true })).toBe(true);
		expect(writes).toBe(2);
	});

	it("round-trips through a cryptography manager and never stores plaintext", async () => {
		const rot = (text: string) => Buffer.from(text).toString("base64").split("").reverse().join("");
		const unrot = (text: string) => Buffer.from(text.split("").reverse().join(""), "base64").toString();
		const backend = new MemoryTokenBackend({ cryptographyManager: { encrypt: rot, decrypt: unrot } });
		backend.deserialize(JSON.stringify(sampleCache()), { changed: true });
		await backend.saveToken();
		const stored = (await backend.read()) as string;
		expect(stored).not.toContain("adele-rt");
		backend.deserialize("{}");
		expect(await backend.loadToken()).toBe(true);
		expect(backend.getRefreshToken({ username: "adele@contoso.test" })?.secret).toBe("adele-rt");
	});

	it("refuses to fall back to plaintext when decryption fails, and leaves storage untouched", async () => {
		const backend = new MemoryTokenBackend({
			cryptographyManager: {
				encrypt: (text) => text,
				decrypt: () => {
					throw new Error("bad tag");
				},
			},
		});
		await backend.write(JSON.stringify(sampleCache()));
		const error = (await backend.loadToken().catch((e: unknown) => e)) as TokenBackendError;
		expect(error).toBeInstanceOf(TokenBackendError);
		expect(error.code).toBe("backend_crypto");
		expect(error.backend).toBe("memory");
		expect(await backend.read()).toBe(JSON.stringify(sampleCache()));
		expect(backend.hasData).toBe(false);
	});

	it("reports python-o365 2.0 tokens as a legacy format with what to do", async () => {
		const backend = new MemoryTokenBackend();
		await backend.write(
			JSON.stringify({ access_token: "at-secret", refresh_token: "rt-secret", expires_at: 1 }),
		);
		const error = (await backend.loadToken().catch((e: unknown) => e)) as TokenBackendError;
		expect(error.code).toBe("backend_legacy_format");
		expect(error.message).toMatch(/sign in again/);
		expect(error.message).not.toContain("rt-secret");
	});

	it("moves a corrupt value aside through quarantine() and says where", async () => {
		class QuarantiningBackend extends MemoryTokenBackend {
			quarantined = 0;
			override async quarantine() {
				this.quarantined += 1;
				await this.remove();
				return "/tmp/aside";
			}
		}
		const backend = new QuarantiningBackend();
		await backend.write('{"Account": {"secret-marker-7Q');
		const error = (await backend.loadToken().catch((e: unknown) => e)) as TokenBackendError;
		expect(error.code).toBe("backend_corrupt");
		expect(error.message).toContain("/tmp/aside");
		expect(error.message).not.toContain("secret-marker-7Q");
		expect(backend.quarantined).toBe(1);
	});

	it("wraps storage failures as backend_io without losing the cause", async () => {
		const backend = new MemoryTokenBackend();
		const failure = Object.assign(new Error("disk on fire"), { code: "EIO" });
		backend.write = async () => {
			throw failure;
		};
		backend.deserialize(JSON.stringify(sampleCache()), { changed: true });
		const error = (await backend.saveToken().catch((e: unknown) => e)) as TokenBackendError;
		expect(error.code).toBe("backend_io");
		expect(error.message).toContain("EIO: disk on fire");
		expect(error.message).not.toContain("adele-rt");
		// The cause is a redacted copy: the driver's class, reason and code, never the value it held.
		expect(error.cause).toMatchObject({ name: "Error", message: "disk on fire", code: "EIO" });
		expect(backend.hasStateChanged).toBe(true); // the next save tries again
	});

	it("reads MSAL Python documents that omit empty sections", async () => {
		const backend = new MemoryTokenBackend();
		await backend.write(JSON.stringify({ AccessToken: sampleCache().AccessToken }));
		expect(await backend.loadToken()).toBe(true);
		expect(backend.cache.RefreshToken).toEqual({});
	});
});

describe("EnvTokenBackend", () => {
	it("reads and writes O365TOKEN by default", async () => {
		const env: NodeJS.ProcessEnv = {};
		const backend = new EnvTokenBackend({ env });
		expect(backend.tokenEnvName).toBe("O365TOKEN");
		expect(await backend.checkToken()).toBe(false);
		expect(await backend.loadToken()).toBe(false);
		backend.deserialize(JSON.stringify(sampleCache()), { changed: true });
		await backend.saveToken();
		expect(JSON.parse(env.O365TOKEN as string).RefreshToken.a.secret).toBe("adele-rt");
		const second = new EnvTokenBackend({ env });
		expect(await second.loadToken()).toBe(true);
		expect(await second.deleteToken()).toBe(true);
		expect(env.O365TOKEN).toBeUndefined();
		expect(await second.deleteToken()).toBe(false);
	});

	it("uses process.env and a custom variable", async () => {
		const backend = new EnvTokenBackend({ tokenEnvName: "O365_TEST_TOKEN_ENV" });
		try {
			backend.deserialize(JSON.stringify(sampleCache()), { changed: true });
			await backend.saveToken();
			expect(process.env.O365_TEST_TOKEN_ENV).toContain("adele-rt");
		} finally {
			delete process.env.O365_TEST_TOKEN_ENV;
		}
	});

	it("rejects an invalid variable name at construction", () => {
		expect(() => new EnvTokenBackend({ tokenEnvName: "not valid" })).toThrow(ConfigurationError);
	});
});

describe("assertTokenBackend", () => {
	it("names every missing method in one error", () => {
		const error = (() => {
			try {
				assertTokenBackend({ name: "half", loadToken() {}, saveToken() {} });
			} catch (e) {
				return e as ConfigurationError;
			}
		})();
		expect(error?.code).toBe("backend_invalid_config");
		expect(error?.message).toContain("deleteToken, checkToken, shouldRefreshToken");
		expect(error?.message).toContain("read, write, remove, exists");
	});

	it("refuses a backend that throws while it is inspected with backend_invalid_config, the throw kept as cause", () => {
		const hostile = new Proxy(
			{},
			{
				get() {
					throw new Error("trap");
				},
			},
		);
		let error: unknown;
		try {
			assertTokenBackend(hostile);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ConfigurationError);
		expect((error as ConfigurationError).code).toBe("backend_invalid_config");
		expect((error as ConfigurationError).message).toContain("inspecting tokenBackend threw");
		expect((error as ConfigurationError).cause).toMatchObject({ message: "trap" });
	});

	it("accepts a subclass of BaseTokenBackend", () => {
		class Tiny extends BaseTokenBackend {
			readonly name = "tiny";
			async read() {
				return undefined;
			}
			async write() {}
			async remove() {
				return false;
			}
			async exists() {
				return false;
			}
		}
		expect(() => assertTokenBackend(new Tiny())).not.toThrow();
	});
});

describe("compare-and-set saves", () => {
	/** Changes adele's refresh token in the shared store, as another process's refresh would. */
	async function rotateElsewhere(store: MemoryTokenStore, secret: string) {
		const other = new MemoryTokenBackend({ store });
		await other.loadToken();
		const cache = JSON.parse(other.serialize());
		cache.RefreshToken.a.secret = secret;
		other.deserialize(JSON.stringify(cache), { changed: true });
		await other.saveToken();
	}

	it("merge every time another writer got there first, without reviving what they replaced", async () => {
		const store = new MemoryTokenStore();
		const seed = new MemoryTokenBackend({ store });
		seed.deserialize(JSON.stringify(sampleCache()), { changed: true });
		await seed.saveToken();

		const mine = new MemoryTokenBackend({ store });
		await mine.loadToken();
		const cache = JSON.parse(mine.serialize());
		cache.Account.x = {
			...cache.Account[Object.keys(cache.Account)[0] as string],
			home_account_id: "x.t",
			username: "x@contoso.test",
		};
		mine.deserialize(JSON.stringify(cache), { changed: true });
		const interleaved = ["adele-rt-2", "adele-rt-3"];
		const write = mine.writeIfVersion.bind(mine);
		mine.writeIfVersion = async (value, expected) => {
			const next = interleaved.shift();
			if (next !== undefined) await rotateElsewhere(store, next); // lands between our read and our write
			return write(value, expected);
		};
		await mine.saveToken();
		const check = new MemoryTokenBackend({ store });
		await check.loadToken();
		expect(check.getRefreshToken({ username: "adele@contoso.test" })?.secret).toBe("adele-rt-3");
		expect(check.getAccount({ username: "x@contoso.test" })).toBeDefined();
	});

	it("persists removing the last user", async () => {
		const store = new MemoryTokenStore();
		const backend = new MemoryTokenBackend({ store });
		const only = sampleCache();
		only.Account = {
			a: only.Account[Object.keys(only.Account)[1] as string] as (typeof only.Account)[string],
		};
		only.AccessToken = {};
		only.IdToken = {};
		only.RefreshToken = {};
		backend.deserialize(JSON.stringify(only), { changed: true });
		await backend.saveToken();
		expect(backend.removeData({ username: "adele@contoso.test" })).toBe(true);
		expect(await backend.saveToken()).toBe(true);
		const check = new MemoryTokenBackend({ store });
		await check.loadToken();
		expect(check.getAllAccounts()).toEqual([]);
	});
});
