import {
	Account,
	EnvTokenBackend,
	MemoryTokenBackend,
	MemoryTokenStore,
	type TokenBackend,
} from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { REDIRECT_URI, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";
import { expireStoredAccessToken, signIn } from "./helpers/stored-tokens.js";

// Entra rotates refresh tokens; reusing a rotated-away one is refused: the fleet's hard case.
const platform = useFakePlatform({ rotateRefreshTokens: true, rejectRefreshTokenReuse: true });

function instance(tokenBackend: TokenBackend) {
	const idp = platform();
	return new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
		tenantId: idp.tenantId,
		tokenBackend,
		redirectUri: REDIRECT_URI,
		...idp.msalConfig(),
	});
}

describe("several instances sharing one token store", () => {
	beforeEach(() => platform().clearRequests());

	it("with a lease: exactly one refresh-token grant, everyone adopts it, no invalid_grant", async () => {
		const store = new MemoryTokenStore();
		await signIn(instance(new MemoryTokenBackend({ store })), platform());
		await expireStoredAccessToken(new MemoryTokenBackend({ store }));
		const fleet = Array.from({ length: 6 }, () => instance(new MemoryTokenBackend({ store })));
		platform().clearRequests();
		const tokens = await Promise.all(
			fleet.flatMap((account) => [account.con.getAccessToken(), account.con.getAccessToken()]),
		);
		const grants = platform().tokenRequests("refresh_token");
		expect(grants).toHaveLength(1);
		expect(grants.filter((grant) => grant.error !== undefined)).toEqual([]);
		expect(new Set(tokens).size).toBe(1);
		expect(platform().verifyAccessToken(tokens[0] as string)).toBeDefined();
	});

	it("forced refreshes in several instances each rotate from the newest refresh token", async () => {
		const store = new MemoryTokenStore();
		await signIn(instance(new MemoryTokenBackend({ store })), platform());
		const fleet = Array.from({ length: 4 }, () => instance(new MemoryTokenBackend({ store })));
		platform().clearRequests();
		await Promise.all(fleet.map((account) => account.con.refreshToken()));
		const grants = platform().tokenRequests("refresh_token");
		expect(grants).toHaveLength(4);
		expect(grants.filter((grant) => grant.error !== undefined)).toEqual([]);
	});

	it("without a lease: an instance refused with invalid_grant adopts the token another one stored", async () => {
		const env: NodeJS.ProcessEnv = {};
		await signIn(instance(new EnvTokenBackend({ env })), platform());
		const first = instance(new EnvTokenBackend({ env }));
		const second = instance(new EnvTokenBackend({ env }));
		await first.isAuthenticated();
		await second.isAuthenticated(); // both now hold the same refresh token in memory
		await first.con.refreshToken(); // rotates it and stores the new one
		platform().clearRequests();
		const token = await second.con.refreshToken().then(() => second.con.getAccessToken());
		// its own refresh was refused; it reloaded and took the token the first one had just stored
		expect(
			platform()
				.tokenRequests("refresh_token")
				.map((grant) => grant.error),
		).toEqual(["invalid_grant"]);
		expect(token).toBe(await first.con.getAccessToken());
		expect(platform().verifyAccessToken(token)).toBeDefined();
	});
});
