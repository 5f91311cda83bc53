import { Account, ConfigurationError, DEFAULT_SCOPES, MemoryTokenBackend } from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { DAEMON, REDIRECT_URI, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";

// Connection takes scopes as sent to Microsoft (as python-o365's does); a scope helper name there
// ('basic') is never a real scope, so it is refused instead of being sent.

const platform = useFakePlatform();

function account(authFlowType: "authorization" | "credentials" = "authorization"): Account {
	const credentials: [string, string] =
		authFlowType === "credentials"
			? [DAEMON.clientId, DAEMON.clientSecret]
			: [WEB_APP.clientId, WEB_APP.clientSecret];
	return new Account(credentials, {
		authFlowType,
		tenantId: platform().tenantId,
		tokenBackend: new MemoryTokenBackend(),
		redirectUri: REDIRECT_URI,
		...platform().msalConfig(),
	});
}

async function rejection(promise: Promise<unknown>): Promise<ConfigurationError> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error).toBeInstanceOf(ConfigurationError);
	return error as ConfigurationError;
}

describe("Connection refuses scope helper names", () => {
	beforeEach(() => platform().clearRequests());

	// every helper, its camelCase spelling and the documented alias
	it.each([...Object.keys(DEFAULT_SCOPES), "messageAll", "sharepoint_dl"])(
		"con.getAuthorizationUrl(['%s']) points to account.getAuthorizationUrl",
		async (helper) => {
			const error = await rejection(
				account().con.getAuthorizationUrl(["https://graph.microsoft.com/Mail.Read", helper]),
			);
			expect(error.code).toBe("invalid_scopes");
			expect(error.message).toContain(`'${helper}' is a scope helper name`);
			expect(error.message).toContain("account.getAuthorizationUrl");
			expect(error.message).toContain("protocol.getScopesFor");
		},
	);

	it("con.requestToken(null, { requestedScopes: ['basic'] }) is refused before any request", async () => {
		const error = await rejection(
			account("credentials").con.requestToken(null, { requestedScopes: ["basic"] }),
		);
		expect(error.code).toBe("invalid_scopes");
		expect(error.message).toContain("account.getAuthorizationUrl");
		expect(platform().requests).toHaveLength(0);
	});

	it("still sends raw scopes as they are, and Account still expands helpers", async () => {
		const raw = await account().con.getAuthorizationUrl([
			"https://graph.microsoft.com/User.Read",
			"offline_access",
		]);
		expect(raw.flow.scopes).toEqual(["https://graph.microsoft.com/User.Read", "offline_access"]);
		const expanded = await account().getAuthorizationUrl(["basic"]);
		expect(expanded.flow.scopes).toEqual(["https://graph.microsoft.com/User.Read"]);
	});
});
