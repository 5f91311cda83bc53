import { Account, MemoryTokenBackend, type Protocol } from "@o365/core";
import type { FakeIdentityPlatform } from "@o365/testkit";

export const BENCH_APP = {
	clientId: "bench-app",
	clientSecret: "bench-secret-value",
	redirectUri: "http://localhost:9000/cb",
};

export function benchAccount(
	idp: FakeIdentityPlatform,
	tokenBackend = new MemoryTokenBackend(),
	protocol?: Protocol,
): Account {
	return new Account([BENCH_APP.clientId, BENCH_APP.clientSecret], {
		tenantId: idp.tenantId,
		redirectUri: BENCH_APP.redirectUri,
		tokenBackend,
		...(protocol === undefined ? {} : { protocol }),
		...idp.msalConfig(),
	});
}

/** The whole web sign-in: URL, the browser's consent, code redemption, token stored. */
export async function signIn(idp: FakeIdentityPlatform, account: Account): Promise<void> {
	const { url, flow } = await account.getAuthorizationUrl(["basic"]);
	await account.requestToken(await idp.browser.signIn(url), { flow });
}
