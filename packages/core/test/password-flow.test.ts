import { inspect } from "node:util";
import {
	Account,
	type AccountOptions,
	AuthenticationError,
	ConfigurationError,
	MemoryTokenBackend,
} from "@o365/core";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { PUBLIC_APP, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";

const PASSWORD = "Correct-Horse-Battery-Staple-9";
const platform = useFakePlatform({
	users: [
		{ username: "patti@contoso.test", password: PASSWORD },
		{ username: "mfa@contoso.test", password: PASSWORD, mfaRequired: true },
	],
});

afterAll(() => {
	// Nothing the fake recorded holds the password (it is redacted there too).
	expect(JSON.stringify(platform().requests)).not.toContain(PASSWORD);
});

function passwordAccount(
	overrides: Partial<AccountOptions> = {},
	credentials: string | [string, string] = PUBLIC_APP.clientId,
) {
	const idp = platform();
	return new Account(credentials, {
		authFlowType: "password",
		tenantId: idp.tenantId,
		username: "patti@contoso.test",
		password: PASSWORD,
		tokenBackend: new MemoryTokenBackend(),
		...idp.msalConfig(),
		...overrides,
	});
}

/** Every way an error can be shown: message, inspect (causes included), JSON, own properties. */
function everythingIn(error: unknown): string {
	return [String(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)].join("\n");
}

function constructionError(make: () => unknown): ConfigurationError {
	try {
		make();
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigurationError);
		return error as ConfigurationError;
	}
	throw new Error("expected the constructor to throw");
}

describe("password flow: options checked at construction", () => {
	it.each([
		["no username", { username: undefined }, /username/],
		["an empty username", { username: " " }, /username/],
		["no password", { password: undefined }, /password/],
		["an empty password", { password: "" }, /password/],
		["a password that is not a string", { password: 1234 as unknown as string }, /password/],
	])("refuses %s with invalid_option", (_name, overrides, says) => {
		const error = constructionError(() => passwordAccount(overrides));
		expect(error.code).toBe("invalid_option");
		expect(error.message).toMatch(says);
		expect(error.message).toMatch(/authFlowType 'password'/);
	});

	it.each([undefined, "common", "consumers", "Common"])(
		"refuses tenantId %s: personal accounts cannot use a password",
		(tenantId) => {
			const error = constructionError(() => passwordAccount({ tenantId }));
			expect(error.code).toBe("invalid_option");
			expect(error.message).toMatch(/tenantId/);
			expect(error.message).toMatch(/organizations/);
			expect(error.message).toMatch(/personal Microsoft accounts/);
		},
	);

	it("accepts tenantId 'organizations' (any work or school account)", () => {
		expect(passwordAccount({ tenantId: "organizations" }).con.tenantId).toBe("organizations");
	});

	it("refuses a password given to another flow, without repeating it", () => {
		const idp = platform();
		const error = constructionError(
			() =>
				new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
					tenantId: idp.tenantId,
					password: PASSWORD,
				}),
		);
		expect(error.code).toBe("invalid_option");
		expect(error.message).toMatch(/only.*authFlowType 'password'/);
		expect(everythingIn(error)).not.toContain(PASSWORD);
	});

	it("keeps the password out of inspect and JSON of the account and its connection", () => {
		const account = passwordAccount();
		expect(inspect(account, { depth: 10, showHidden: true })).not.toContain(PASSWORD);
		expect(inspect(account.con, { depth: 10, showHidden: true })).not.toContain(PASSWORD);
		expect(JSON.stringify(Object.entries(account.con))).not.toContain(PASSWORD);
	});

	it("refuses getAuthorizationUrl: the password flow has no browser step", async () => {
		await expect(passwordAccount().getAuthorizationUrl(["basic"])).rejects.toMatchObject({
			name: "ConfigurationError",
			code: "invalid_option",
			message: expect.stringMatching(/password flow.*authenticate/),
		});
	});
});

describe("password flow: sign-in over HTTP", () => {
	beforeEach(() => platform().clearRequests());

	it("signs in with the password grant alone, stores the token and selects the user", async () => {
		const backend = new MemoryTokenBackend();
		const account = passwordAccount({ tokenBackend: backend });
		expect(await account.authenticate({ scopes: ["basic", "message_all"] })).toBe(true);
		const idp = platform();
		expect(idp.requests.map((request) => request.grantType)).toEqual(["password"]);
		expect(idp.tokenRequests("password")[0]?.form).toMatchObject({
			username: "patti@contoso.test",
			password: "[redacted]",
			scope: expect.stringContaining("https://graph.microsoft.com/Mail.ReadWrite"),
		});
		expect(account.username).toBe("patti@contoso.test");
		expect(backend.getAllAccounts().map((stored) => stored.username)).toEqual(["patti@contoso.test"]);
		expect(backend.getRefreshToken({ username: "patti@contoso.test" })).toBeDefined();
		const claims = idp.verifyAccessToken(await account.con.getAccessToken());
		expect(claims).toMatchObject({ preferred_username: "patti@contoso.test", idtyp: "user" });
		expect(claims?.scp).toContain("Mail.ReadWrite");
		expect(idp.tokenRequests()).toHaveLength(1); // the token just obtained is used as it is
	});

	it("asks for the protocol's .default scope when authenticate() names none, as python-o365 does", async () => {
		const account = passwordAccount();
		expect(await account.authenticate()).toBe(true);
		expect(platform().tokenRequests("password")[0]?.form.scope).toContain(
			"https://graph.microsoft.com/.default",
		);
	});

	it("refreshes silently with the refresh token once the access token expired, without the password", async () => {
		const backend = new MemoryTokenBackend();
		const account = passwordAccount({ tokenBackend: backend });
		await account.authenticate({ scopes: ["basic"] });
		const first = await account.con.getAccessToken();
		const cache = JSON.parse(backend.serialize());
		for (const entry of Object.values(cache.AccessToken) as { expires_on: string }[]) {
			entry.expires_on = String(Math.floor(Date.now() / 1000) - 60);
		}
		backend.deserialize(JSON.stringify(cache), { changed: true });
		await backend.saveToken(); // as if an hour had gone by
		const restarted = passwordAccount({ tokenBackend: backend });
		platform().clearRequests();
		const second = await restarted.con.getAccessToken();
		expect(second).not.toBe(first);
		expect(
			platform()
				.tokenRequests()
				.map((request) => request.grantType),
		).toEqual(["refresh_token"]);
		expect(platform().verifyAccessToken(second)?.preferred_username).toBe("patti@contoso.test");
	});

	it("signs in through a confidential app, which sends its secret with the password", async () => {
		const account = passwordAccount({}, [WEB_APP.clientId, WEB_APP.clientSecret]);
		expect(await account.authenticate({ scopes: ["basic"] })).toBe(true);
		expect(platform().tokenRequests("password")[0]?.form.client_secret).toBe("[redacted]");
		expect(platform().verifyAccessToken(await account.con.getAccessToken())?.azpacr).toBe("1");
	});

	it("sends nothing when the signal is already aborted", async () => {
		const account = passwordAccount();
		await expect(account.authenticate({ signal: AbortSignal.abort() })).rejects.toMatchObject({
			code: "aborted",
		});
		expect(platform().tokenRequests()).toHaveLength(0);
	});
});

describe("password flow: each refusal is a typed AuthenticationError without the password", () => {
	async function failure(account: Account): Promise<AuthenticationError> {
		const error = await account.authenticate({ scopes: ["basic"] }).then(
			() => {
				throw new Error("expected the sign-in to fail");
			},
			(caught: unknown) => caught,
		);
		expect(error).toBeInstanceOf(AuthenticationError);
		const text = everythingIn(error);
		expect(text).not.toContain(PASSWORD);
		expect(text).not.toContain("wrong-password-value");
		expect(await account.isAuthenticated()).toBe(false);
		return error as AuthenticationError;
	}

	it("a wrong password: invalid_grant, AADSTS50126", async () => {
		const error = await failure(passwordAccount({ password: "wrong-password-value" }));
		expect(error.code).toBe("token_request_failed");
		expect(error.providerError).toMatchObject({
			error: "invalid_grant",
			errorDescription: expect.stringMatching(/^AADSTS50126: Error validating credentials/),
		});
		expect(error.message).toMatch(/check the username and password/i);
	});

	it("a user who must do MFA: invalid_grant with suberror basic_action, pointing to an interactive flow", async () => {
		const error = await failure(passwordAccount({ username: "mfa@contoso.test" }));
		expect(error.code).toBe("token_request_failed");
		expect(error.providerError).toMatchObject({ error: "invalid_grant", suberror: "basic_action" });
		expect(error.providerError.errorDescription).toMatch(/^AADSTS50076/);
		expect(error.message).toMatch(/multi-factor/);
		expect(error.message).toMatch(/authFlowType 'public'/);
	});

	it("an unknown user: invalid_grant, AADSTS50034", async () => {
		const error = await failure(passwordAccount({ username: "nobody@contoso.test" }));
		expect(error.providerError.error).toBe("invalid_grant");
		expect(error.providerError.errorDescription).toMatch(/^AADSTS50034/);
	});

	it("an app that does not allow public client flows: invalid_client, AADSTS7000218", async () => {
		const error = await failure(passwordAccount({}, WEB_APP.clientId));
		expect(error.providerError).toMatchObject({ error: "invalid_client" });
		expect(error.providerError.errorDescription).toMatch(/^AADSTS7000218/);
		expect(error.message).toMatch(/Allow public client flows/);
	});

	it("an identity error that echoes the password in plain words: the password is redacted by value", async () => {
		platform().failNext({
			grantType: "password",
			error: "invalid_grant",
			errorDescription: `AADSTS50126: Error validating credentials for password ${PASSWORD}.`,
		});
		const error = await failure(passwordAccount());
		expect(error.providerError.errorDescription).toMatch(/^AADSTS50126: Error validating credentials/);
	});
});
