import {
	Account,
	type Logger,
	MemoryTokenBackend,
	MemoryTokenStore,
	type TokenBackend,
	TokenBackendError,
} from "@o365/core";
import { describe, expect, it } from "vitest";
import { REDIRECT_URI, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";

const platform = useFakePlatform({ rotateRefreshTokens: true, rejectRefreshTokenReuse: true });

/** A memory store that can be made unreachable: its writes then fail as a network store's would. */
class FlakyBackend extends MemoryTokenBackend {
	down = false;

	override async writeIfVersion(value: string, expected: string | null) {
		if (this.down)
			throw new TokenBackendError(this.name, "backend_io", "the store did not answer (test outage)");
		return super.writeIfVersion(value, expected);
	}
}

function instance(tokenBackend: TokenBackend, logger?: Logger) {
	const idp = platform();
	return new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
		tenantId: idp.tenantId,
		tokenBackend,
		redirectUri: REDIRECT_URI,
		...idp.msalConfig(),
		...(logger === undefined ? {} : { logger }),
	});
}

/** The access token secrets stored now. */
function storedAccessTokens(store: MemoryTokenStore): string[] {
	const cache = JSON.parse(store.value ?? "{}") as { AccessToken?: Record<string, { secret: string }> };
	return Object.values(cache.AccessToken ?? {}).map((entry) => entry.secret);
}

describe("the store fails while a refreshed token is saved", () => {
	it("the caller still gets the token, the typed error is logged, and the next save writes it", async () => {
		const store = new MemoryTokenStore();
		const signedIn = instance(new MemoryTokenBackend({ store }));
		const { url, flow } = await signedIn.getAuthorizationUrl(["basic"]);
		await signedIn.requestToken(await platform().browser.signIn(url), { flow });
		const backend = new FlakyBackend({ store });
		const warnings: { message: string; code: unknown }[] = [];
		const account = instance(backend, {
			warn: (message, details) => warnings.push({ message, code: details?.code }),
		});
		await backend.loadToken();
		const before = storedAccessTokens(store);

		backend.down = true;
		const token = await account.con.refreshToken().then(() => backend.getAccessToken()?.secret);
		expect(token, "the refresh's token is in memory").toBeDefined();
		expect(platform().verifyAccessToken(token ?? "")).toBeDefined();
		expect(storedAccessTokens(store), "nothing was written during the outage").toEqual(before);
		expect(warnings).toEqual([
			{ message: expect.stringContaining("kept in memory, not saved"), code: "backend_io" },
		]);
		expect(backend.hasStateChanged, "the refreshed token still waits to be saved").toBe(true);

		backend.down = false;
		await expect(backend.saveToken()).resolves.toBe(true);
		expect(storedAccessTokens(store)).toContain(token);
	});
});
