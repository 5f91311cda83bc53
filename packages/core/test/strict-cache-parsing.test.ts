import { Account, MemoryTokenBackend, TokenBackendError } from "@o365/core";
import { describe, expect, it } from "vitest";

const NOW = Math.floor(Date.now() / 1000);
const HOME = "oid-adele.tid-1";

function account() {
	return {
		home_account_id: HOME,
		environment: "login.idp.test",
		realm: "tid-1",
		local_account_id: "oid-adele",
		username: "adele@contoso.test",
		authority_type: "MSSTS",
	};
}

function credential(type: string, extra: Record<string, unknown> = {}) {
	return {
		home_account_id: HOME,
		environment: "login.idp.test",
		credential_type: type,
		client_id: "app",
		secret: `${type}-secret-value`,
		...extra,
	};
}

/** A signed-in user's cache with one valid access token, whose fields a row then spoils. */
function cache(accessToken: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		Account: { [`${HOME}-login.idp.test-tid-1`]: account() },
		AccessToken: {
			a: credential("AccessToken", {
				realm: "tid-1",
				target: "User.Read",
				cached_at: String(NOW),
				expires_on: String(NOW + 3600),
				...accessToken,
			}),
		},
		RefreshToken: { r: credential("RefreshToken") },
		IdToken: { i: credential("IdToken", { realm: "tid-1" }) },
		AppMetadata: {},
	};
}

const withoutSecret = cache();
delete ((withoutSecret.AccessToken as Record<string, Record<string, unknown>>).a as Record<string, unknown>)
	.secret;

/** Documents that are JSON but not an MSAL token cache: each must be refused as backend_corrupt. */
const HOSTILE: Array<[string, string]> = [
	["an array", "[]"],
	["a string", '"tokens"'],
	["a number", "42"],
	["null", "null"],
	[
		"a VS Code settings.json",
		JSON.stringify({ "editor.fontSize": 14, "files.exclude": { "**/.git": true } }),
	],
	["a package.json", JSON.stringify({ name: "x", version: "1.0.0", dependencies: {} })],
	["a section that is a number", '{"AccessToken": 5}'],
	["a section that is an array", '{"AccessToken": []}'],
	["a section that is null", '{"RefreshToken": null}'],
	["an entry that is a string", '{"AccessToken": {"a": "eyJ"}}'],
	["an entry that is null", '{"IdToken": {"a": null}}'],
	["an entry missing its secret", JSON.stringify(withoutSecret)],
	["a secret that is a number", JSON.stringify(cache({ secret: 12345 }))],
	["expires_on that is not a number", JSON.stringify(cache({ expires_on: "abc" }))],
	["expires_on that is NaN", JSON.stringify(cache({ expires_on: "NaN" }))],
	["expires_on that is negative", JSON.stringify(cache({ expires_on: "-5" }))],
	["expires_on that is a fraction string", JSON.stringify(cache({ expires_on: "1.5e3" }))],
	["expires_on beyond any date", JSON.stringify(cache({ expires_on: "99999999999999999999" }))],
	["expires_on missing on an access token", JSON.stringify(cache({ expires_on: undefined }))],
	["expires_on that is an object", JSON.stringify(cache({ expires_on: {} }))],
	["refresh_on that is not a number", JSON.stringify(cache({ refresh_on: "soon" }))],
	["a target that is a list", JSON.stringify(cache({ target: ["User.Read"] }))],
	["home_account_id that is a number", JSON.stringify(cache({ home_account_id: 7 }))],
	[
		"an account without a username",
		JSON.stringify({ ...cache(), Account: { x: { ...account(), username: undefined } } }),
	],
	[
		"an account whose username is a number",
		JSON.stringify({ ...cache(), Account: { x: { ...account(), username: 1 } } }),
	],
	["app metadata that is a string", JSON.stringify({ ...cache(), AppMetadata: { m: "x" } })],
	["an unknown section that is a number", JSON.stringify({ ...cache(), Extra: 1 })],
];

class QuarantiningBackend extends MemoryTokenBackend {
	quarantined = 0;
	override async quarantine() {
		this.quarantined += 1;
		await this.remove();
		return "/tmp/aside";
	}
}

describe("the token cache is parsed strictly", () => {
	it.each(HOSTILE)("refuses %s as backend_corrupt and quarantines it", async (_what, text) => {
		const backend = new QuarantiningBackend();
		await backend.write(text);
		const error = await backend.loadToken().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TokenBackendError);
		expect(error).toMatchObject({ code: "backend_corrupt" });
		expect(backend.quarantined).toBe(1);
		expect(backend.hasData).toBe(false);
	});

	it.each(HOSTILE)("deserialize() refuses %s with backend_corrupt", (_what, text) => {
		const backend = new MemoryTokenBackend();
		const error = (() => {
			try {
				backend.deserialize(text);
			} catch (e) {
				return e;
			}
		})();
		expect(error).toBeInstanceOf(TokenBackendError);
		expect(error).toMatchObject({ code: "backend_corrupt" });
	});

	it("isAuthenticated() is not true when the stored expiry is garbage: backend_corrupt, then false once moved aside", async () => {
		const backend = new QuarantiningBackend();
		const stored = cache({ expires_on: "abc" });
		delete stored.RefreshToken;
		await backend.write(JSON.stringify(stored));
		const app = new Account(["app", "app-secret-value"], { tokenBackend: backend, tenantId: "tid-1" });
		const answer = await app.isAuthenticated().catch((e: unknown) => e);
		expect(answer).toBeInstanceOf(TokenBackendError);
		expect(answer).toMatchObject({ code: "backend_corrupt" });
		expect(await app.isAuthenticated()).toBe(false);
	});

	it("accepts what MSAL writes beyond the known fields, and round-trips it byte for byte", async () => {
		const document = {
			Account: {
				[`${HOME}-login.idp.test-tid-1`]: {
					...account(),
					name: "Adele Vance",
					client_info: "eyJ1aWQiOiJ4In0",
					last_modification_time: "1700000000",
					last_modification_app: "o365",
					tenantProfiles: [{ tenantId: "tid-1", localAccountId: "oid-adele", isHomeTenant: true }],
					account_source: "authorization_code",
				},
				"oid-megan.tid-1-login.idp.test-": {
					...account(),
					home_account_id: "oid-megan.tid-1",
					username: "",
					realm: null,
					local_account_id: null,
				},
			},
			IdToken: { i: credential("IdToken", { realm: "tid-1", last_modification_time: "1700000000" }) },
			AccessToken: {
				a: credential("AccessToken", {
					realm: "tid-1",
					target: "User.Read openid profile offline_access",
					cached_at: String(NOW),
					expires_on: String(NOW + 3600),
					extended_expires_on: String(NOW + 7200),
					ext_expires_on: String(NOW + 7200),
					refresh_on: String(NOW + 1800),
					token_type: "Bearer",
					key_id: "kid-1",
					userAssertionHash: "h",
					last_modification_time: "1700000000",
				}),
				app: credential("AccessToken", {
					home_account_id: null,
					realm: null,
					target: "https://graph.microsoft.com/.default",
					cached_at: NOW,
					expires_on: NOW + 3600,
				}),
			},
			RefreshToken: {
				r: credential("RefreshToken", {
					family_id: "1",
					target: "User.Read",
					last_modification_time: "1700000000",
				}),
			},
			AppMetadata: {
				"appmetadata-login.idp.test-app": { client_id: "app", environment: "login.idp.test", family_id: "1" },
			},
		};
		const text = JSON.stringify(document);
		const backend = new MemoryTokenBackend();
		await backend.write(text);
		expect(await backend.loadToken()).toBe(true);
		expect(backend.serialize()).toBe(text);
		expect(backend.tokenIsExpired({ username: "adele@contoso.test" })).toBe(false);
	});

	it("accepts MSAL Python's document with only some sections, and an empty one", async () => {
		for (const text of ["{}", JSON.stringify({ AccessToken: {}, RefreshToken: {} })]) {
			const backend = new MemoryTokenBackend();
			await backend.write(text);
			expect(await backend.loadToken()).toBe(true);
			expect(backend.hasData).toBe(false);
		}
	});
});
