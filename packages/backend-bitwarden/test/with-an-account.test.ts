// The backend under an Account: tokens from the fake identity platform stored in the fake
// Bitwarden server through the real SDK, and an outage of Bitwarden in the middle of a refresh.
import { Account } from "@o365/core";
import { type FakeIdentityPlatform, startFakeIdentityPlatform } from "@o365/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFakeBitwarden } from "./fake-server-fixture.js";

const fake = useFakeBitwarden();
const DAEMON = { clientId: "daemon-app-id", clientSecret: "daemon-secret-value-5678" };
let platform: FakeIdentityPlatform;
beforeAll(async () => {
	platform = await startFakeIdentityPlatform({ clients: [DAEMON] });
});
afterAll(() => platform?.close());

function daemon(warnings: { message: string; code: unknown }[] = []) {
	return new Account([DAEMON.clientId, DAEMON.clientSecret], {
		authFlowType: "credentials",
		tenantId: platform.tenantId,
		tokenBackend: fake.backend(),
		logger: { warn: (message, details) => warnings.push({ message, code: details?.code }) },
		...platform.msalConfig(),
	});
}

describe("an Account storing its tokens in Bitwarden", () => {
	it("a second process finds the app's token in the secret and needs no new grant", async () => {
		await fake.backend().remove();
		expect(await daemon().authenticate()).toBe(true);
		const grants = platform.tokenRequests("client_credentials").length;
		const second = daemon();
		expect(platform.verifyAccessToken(await second.con.getAccessToken())).toBeDefined();
		expect(platform.tokenRequests("client_credentials").length).toBe(grants);
	});

	it("an outage during a refresh's save: the call gets its token, a typed warning, the token kept in memory, saved once Bitwarden is back", async () => {
		await fake.backend().remove();
		const warnings: { message: string; code: unknown }[] = [];
		const account = daemon(warnings);
		expect(await account.authenticate()).toBe(true);
		fake.server.failWith(503);
		try {
			expect(await account.con.refreshToken(), "the refresh itself succeeds").toBe(true);
		} finally {
			fake.server.failWith(undefined);
		}
		expect(
			warnings.map((line) => line.code),
			"the failed save is a typed warning",
		).toContain("backend_io");
		const refreshed = account.con.tokenBackend.getAccessToken()?.secret;
		expect(platform.verifyAccessToken(refreshed ?? "")).toBeDefined();
		expect(account.con.tokenBackend.hasStateChanged, "the refreshed token awaits a save").toBe(true);

		const grants = platform.tokenRequests("client_credentials").length;
		const bearer = await account.con.getAccessToken();
		expect(platform.verifyAccessToken(bearer), "the caller still gets a valid token").toBeDefined();
		expect(platform.tokenRequests("client_credentials").length, "without a new grant").toBe(grants);
		expect(await account.con.tokenBackend.saveToken()).toBe(true);
		const reader = fake.backend();
		expect(await reader.loadToken()).toBe(true);
		expect(reader.getAccessToken()?.secret, "what Bitwarden holds after the outage").toBe(refreshed);
	});
});
