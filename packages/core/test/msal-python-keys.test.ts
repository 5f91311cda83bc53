import { describe, expect, it } from "vitest";
import type { CacheDocument } from "../src/backend/cache-json.js";
import { msalPythonEnvironment, msalPythonKey, toMsalPythonKeys } from "../src/backend/msal-python-keys.js";

// Keys and fields as MSAL Python 1.21 writes them (checked against its output, see
// packages/backend-fs/test/python-o365-interop.test.ts), and as msal-node 7 writes them.

const HOME = "oid-1.tid-1";
const TARGET = "https://graph.microsoft.com/Mail.Read https://graph.microsoft.com/User.Read openid profile";
const TARGET_KEY = TARGET.toLowerCase();
const NOW = 1_800_000_000;

function pythonDocument(env = "login.microsoftonline.com"): CacheDocument {
	return {
		Account: {
			[`${HOME}-${env}-tid-1`]: {
				home_account_id: HOME,
				environment: env,
				realm: "tid-1",
				local_account_id: "oid-1",
				username: "adele@contoso.test",
				authority_type: "MSSTS",
			},
		},
		IdToken: {
			[`${HOME}-${env}-idtoken-app-tid-1-`]: {
				credential_type: "IdToken",
				secret: "id-old",
				home_account_id: HOME,
				environment: env,
				realm: "tid-1",
				client_id: "app",
			},
		},
		AccessToken: {
			[`${HOME}-${env}-accesstoken-app-tid-1-${TARGET_KEY}`]: {
				credential_type: "AccessToken",
				secret: "at-old",
				home_account_id: HOME,
				environment: env,
				client_id: "app",
				target: TARGET,
				realm: "tid-1",
				token_type: "Bearer",
				cached_at: String(NOW - 100),
				expires_on: String(NOW + 3500),
				extended_expires_on: String(NOW + 3500),
			},
		},
		RefreshToken: {
			[`${HOME}-${env}-refreshtoken-app--${TARGET_KEY}`]: {
				credential_type: "RefreshToken",
				secret: "rt-old",
				home_account_id: HOME,
				environment: env,
				client_id: "app",
				target: TARGET,
				last_modification_time: String(NOW - 100),
			},
		},
		AppMetadata: { [`appmetadata-${env}-app`]: { client_id: "app", environment: env } },
	};
}

/** What msal-node leaves after a refresh of `before`: its own keys beside the entries it was handed. */
function afterMsalNodeRefresh(before: CacheDocument, env = "login.windows.net"): CacheDocument {
	const written = structuredClone(before);
	written.AccessToken = {
		[`${HOME}-${env}-accesstoken-app-tid-1-${TARGET_KEY}-`]: {
			home_account_id: HOME,
			environment: env,
			credential_type: "AccessToken",
			client_id: "app",
			secret: "at-new",
			realm: "tid-1",
			target: TARGET,
			cached_at: String(NOW),
			expires_on: String(NOW + 3600),
			extended_expires_on: String(NOW + 3600),
			token_type: "Bearer",
		},
	};
	written.IdToken[`${HOME}-${env}-idtoken-app-tid-1--`] = {
		home_account_id: HOME,
		environment: env,
		credential_type: "IdToken",
		client_id: "app",
		secret: "id-new",
		realm: "tid-1",
	};
	written.RefreshToken[`${HOME}-${env}-refreshtoken-app---`] = {
		home_account_id: HOME,
		environment: env,
		credential_type: "RefreshToken",
		client_id: "app",
		secret: "rt-new",
	};
	return written;
}

describe("MSAL Python's cache keys", () => {
	it("computes the keys MSAL Python 1.21 writes, lower-cased except app metadata", () => {
		const document = pythonDocument();
		for (const section of ["Account", "IdToken", "AccessToken", "RefreshToken", "AppMetadata"] as const) {
			for (const [key, entry] of Object.entries(document[section])) {
				expect(msalPythonKey(section, entry)).toBe(key);
			}
		}
		expect(msalPythonKey("AppMetadata", { environment: "Login.Example", client_id: "App" })).toBe(
			"appmetadata-Login.Example-App",
		);
		// App-only tokens have no home account: the key starts with "-".
		expect(
			msalPythonKey("AccessToken", {
				home_account_id: null,
				environment: "login.microsoftonline.com",
				client_id: "daemon",
				realm: "tid-1",
				target: "https://graph.microsoft.com/.default",
			}),
		).toBe("-login.microsoftonline.com-accesstoken-daemon-tid-1-https://graph.microsoft.com/.default");
	});

	it("writes the public cloud's aliases as login.microsoftonline.com and leaves other hosts alone", () => {
		for (const alias of [
			"login.windows.net",
			"login.microsoft.com",
			"sts.windows.net",
			"LOGIN.MICROSOFTONLINE.COM",
		]) {
			expect(msalPythonEnvironment(alias)).toBe("login.microsoftonline.com");
		}
		expect(msalPythonEnvironment("login.microsoftonline.us")).toBe("login.microsoftonline.us");
		expect(msalPythonEnvironment("login.idp.test")).toBe("login.idp.test");
	});
});

describe("toMsalPythonKeys after msal-node wrote the cache", () => {
	it("keeps one entry of each kind per user, the ones msal-node just wrote, under MSAL Python's keys", () => {
		const before = pythonDocument();
		const result = toMsalPythonKeys(afterMsalNodeRefresh(before), before, NOW);
		const env = "login.microsoftonline.com";
		expect(Object.keys(result.AccessToken)).toEqual([`${HOME}-${env}-accesstoken-app-tid-1-${TARGET_KEY}`]);
		expect(Object.keys(result.IdToken)).toEqual([`${HOME}-${env}-idtoken-app-tid-1-`]);
		expect(Object.keys(result.RefreshToken)).toEqual([`${HOME}-${env}-refreshtoken-app--${TARGET_KEY}`]);
		expect(Object.keys(result.Account)).toEqual([`${HOME}-${env}-tid-1`]);
		expect(Object.keys(result.AppMetadata)).toEqual([`appmetadata-${env}-app`]);
		expect(Object.values(result.AccessToken)[0]?.secret).toBe("at-new");
		expect(Object.values(result.IdToken)[0]?.secret).toBe("id-new");
		expect(Object.values(result.RefreshToken)[0]).toMatchObject({
			secret: "rt-new",
			environment: env,
			target: TARGET,
			last_modification_time: String(NOW),
		});
	});

	it("gives a new refresh token the scopes of the user's newest access token", () => {
		const before = pythonDocument("login.idp.test");
		const written = afterMsalNodeRefresh(before, "login.idp.test");
		const narrower = "https://graph.microsoft.com/User.Read openid profile";
		for (const entry of Object.values(written.AccessToken)) entry.target = narrower;
		const result = toMsalPythonKeys(written, before, NOW);
		const [key, refreshToken] = Object.entries(result.RefreshToken)[0] ?? [];
		expect(refreshToken?.target).toBe(narrower);
		expect(key).toBe(`${HOME}-login.idp.test-refreshtoken-app--${narrower.toLowerCase()}`);
	});

	it("keeps a refresh token msal-node did not change as it was", () => {
		const before = pythonDocument();
		const result = toMsalPythonKeys(structuredClone(before), before, NOW);
		expect(result).toEqual(before);
	});

	it("picks the newer refresh token from a stored file holding both libraries' entries", () => {
		// Written by an earlier version: msal-node's refresh token (no time of its own) came with
		// msal-node's access token, cached after MSAL Python's refresh token was written.
		const stored = afterMsalNodeRefresh(pythonDocument());
		expect(Object.values(toMsalPythonKeys(stored).RefreshToken).map((entry) => entry.secret)).toEqual([
			"rt-new",
		]);
		// And the other way round: MSAL Python refreshed after msal-node.
		const pythonLater = structuredClone(stored);
		for (const entry of Object.values(pythonLater.RefreshToken)) {
			if (entry.secret === "rt-old") entry.last_modification_time = String(NOW + 60);
		}
		expect(Object.values(toMsalPythonKeys(pythonLater).RefreshToken).map((entry) => entry.secret)).toEqual([
			"rt-old",
		]);
	});

	it("keeps each user's and each app's entries apart, and sections it does not know as they are", () => {
		const adele = pythonDocument();
		const megan = JSON.parse(
			JSON.stringify(pythonDocument()).replaceAll(HOME, "oid-2.tid-1"),
		) as CacheDocument;
		const both = {
			Account: { ...adele.Account, ...megan.Account },
			IdToken: { ...adele.IdToken, ...megan.IdToken },
			AccessToken: { ...adele.AccessToken, ...megan.AccessToken },
			RefreshToken: { ...adele.RefreshToken, ...megan.RefreshToken },
			AppMetadata: adele.AppMetadata,
			Extra: { anything: { kept: true } },
		} as unknown as CacheDocument;
		const result = toMsalPythonKeys(both, both, NOW) as unknown as Record<string, Record<string, unknown>>;
		expect(Object.keys(result.RefreshToken ?? {})).toHaveLength(2);
		expect(Object.keys(result.Account ?? {})).toHaveLength(2);
		expect(result.Extra).toEqual({ anything: { kept: true } });
	});
});
