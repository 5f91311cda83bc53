import {
	Account,
	ConfigurationError,
	MemoryTokenBackend,
	MSGraphProtocol,
	type NetworkClient,
} from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { REDIRECT_URI, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";

// A protocol's cloud decides where users sign in: tokens of one national cloud are refused by
// another's Graph. The fake identity platform plays China's sign-in host, login.chinacloudapi.cn,
// reached through msal's network client (msal-node's production path: no authority override).

const CHINA = "https://login.chinacloudapi.cn";
/** China's sign-in hosts: msal-node sends requests to the second, its "preferred network" alias. */
const CHINA_HOSTS = [CHINA, "https://login.partner.microsoftonline.cn"];

/** The fake's address for a URL on one of China's sign-in hosts; `undefined` for any other host. */
function onFake(url: string): string | undefined {
	const host = CHINA_HOSTS.find((origin) => url.startsWith(`${origin}/`));
	return host === undefined ? undefined : platform().origin + url.slice(host.length);
}
const platform = useFakePlatform({ authorityHost: "login.chinacloudapi.cn" });

/**
 * msal-node's network client, forwarding requests for China's sign-in host to the fake and
 * refusing any other host (the global one among them), so where msal went is on record.
 */
function chinaNetworkClient(seen: string[]): NetworkClient {
	const send = async <T>(
		method: string,
		url: string,
		options?: { headers?: Record<string, string>; body?: string },
	) => {
		seen.push(new URL(url).pathname);
		const target = onFake(url);
		if (target === undefined) throw new Error(`msal went to ${url}, not to the China cloud`);
		const response = await fetch(target, {
			method,
			...(options?.headers === undefined ? {} : { headers: options.headers }),
			...(options?.body === undefined ? {} : { body: options.body }),
		});
		return {
			headers: Object.fromEntries(response.headers),
			body: (await response.json()) as T,
			status: response.status,
		};
	};
	return {
		sendGetRequestAsync: (url, options) => send("GET", url, options),
		sendPostRequestAsync: (url, options) => send("POST", url, options),
	};
}

describe("the protocol's cloud applies to sign-in", () => {
	beforeEach(() => platform().clearRequests());

	it("signs in at the China host when only the protocol says China", async () => {
		const seen: string[] = [];
		const account = new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
			tenantId: platform().tenantId,
			tokenBackend: new MemoryTokenBackend(),
			redirectUri: REDIRECT_URI,
			protocol: new MSGraphProtocol({ cloud: "china" }),
			networkClient: chinaNetworkClient(seen),
		});
		const { url, flow } = await account.getAuthorizationUrl(["basic"]);
		const authorize = onFake(url);
		expect(authorize, `${url} is on a China sign-in host`).toBeDefined();
		expect(new URL(url).pathname).toBe(`/${platform().tenantId}/oauth2/v2.0/authorize`);
		expect(flow.scopes).toEqual(["https://microsoftgraph.chinacloudapi.cn/User.Read"]);
		// The fake browser visits the fake in the China host's place.
		const redirected = await platform().browser.signIn(authorize as string);
		await account.requestToken(redirected, { flow });
		expect(seen, "the code went to China's token endpoint").toEqual([
			`/${platform().tenantId}/oauth2/v2.0/token`,
		]);
		expect(account.username).toBe("adele@contoso.test");
		expect(platform().tokenRequests("authorization_code")).toHaveLength(1);
		const cache = JSON.parse(account.con.tokenBackend.serialize()) as {
			Account: Record<string, { environment: string }>;
		};
		const environments = Object.values(cache.Account).map((entry) => entry.environment);
		expect(environments).toHaveLength(1);
		expect(CHINA_HOSTS.map((origin) => new URL(origin).host)).toContain(environments[0]);
	});

	it("refuses a cloud option that disagrees with the protocol's cloud, naming both", () => {
		const build = () =>
			new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
				cloud: "global",
				protocol: new MSGraphProtocol({ cloud: "china" }),
			});
		expect(build).toThrow(ConfigurationError);
		expect(build).toThrow(/cloud option is "global" but the protocol's cloud is "china"/);
		try {
			build();
		} catch (error) {
			expect((error as ConfigurationError).code).toBe("invalid_option");
		}
	});

	it("refuses an authority on another Microsoft cloud than the protocol's", () => {
		const build = () =>
			new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
				authority: "https://login.microsoftonline.com/contoso.onmicrosoft.com",
				protocol: new MSGraphProtocol({ cloud: "china" }),
			});
		expect(build).toThrow(
			/authority https:\/\/login\.microsoftonline\.com\/\S+ is not on the protocol's cloud "china"/,
		);
	});

	it("keeps an agreeing cloud option, and an authority on a host of its own (a fake, B2C)", () => {
		const china = new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
			cloud: "china",
			protocol: new MSGraphProtocol({ cloud: "china" }),
		});
		expect(china.con.redirectUri).toBe(`${CHINA}/common/oauth2/nativeclient`);
		const custom = new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
			protocol: new MSGraphProtocol({ cloud: "china" }),
			authority: "https://login.idp.test/contoso",
		});
		expect(custom.protocol.cloud.name).toBe("china");
	});
});
