import type { Account, TokenBackend } from "@o365/core";
import type { FakeIdentityPlatform } from "@o365/testkit";

/** Signs a user in through the fake platform's scripted browser (web flow, scope `basic`). */
export async function signIn(account: Account, platform: FakeIdentityPlatform): Promise<void> {
	const { url, flow } = await account.getAuthorizationUrl(["basic"]);
	await account.requestToken(await platform.browser.signIn(url), { flow });
}

/** Rewrites the stored token so that its access token expired a minute ago. */
export async function expireStoredAccessToken(backend: TokenBackend): Promise<void> {
	await backend.loadToken();
	const cache = JSON.parse(backend.serialize());
	for (const entry of Object.values(cache.AccessToken) as { expires_on: string }[]) {
		entry.expires_on = String(Math.floor(Date.now() / 1000) - 60);
	}
	backend.deserialize(JSON.stringify(cache), { changed: true });
	await backend.saveToken({ force: true });
}
