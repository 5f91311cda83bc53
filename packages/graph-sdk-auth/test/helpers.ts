import { Account, MemoryTokenBackend, MSGraphProtocol } from "@o365/core";
import {
	type FakeGraph,
	type FakeIdentityPlatform,
	startFakeGraph,
	startFakeIdentityPlatform,
} from "@o365/testkit";
import { Agent, type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { afterAll, beforeAll } from "vitest";

export const DAEMON = { clientId: "daemon-app-id", clientSecret: "daemon-secret-value-5678" };
export const WEB_APP = { clientId: "web-app-id", clientSecret: "web-app-secret-value-1234" };
const REDIRECT_URI = "http://localhost:5173/callback";

/**
 * A fake identity platform and an https fake Graph for one file. Both Graph SDKs send bearers
 * only over https; they use the global fetch, which is made to trust the fake's certificate
 * (and nothing else new) through undici's global dispatcher, restored afterwards.
 */
export function useFakeGraphs() {
	let platform: FakeIdentityPlatform | undefined;
	let graph: FakeGraph | undefined;
	let previous: Dispatcher | undefined;
	beforeAll(async () => {
		platform = await startFakeIdentityPlatform({
			clients: [
				{ clientId: DAEMON.clientId, clientSecret: DAEMON.clientSecret },
				{ clientId: WEB_APP.clientId, clientSecret: WEB_APP.clientSecret, redirectUris: [REDIRECT_URI] },
			],
			users: [{ username: "adele@contoso.test", name: "Adele Vance" }],
		});
		graph = await startFakeGraph({ identityPlatform: platform, tls: true, users: 3 });
		previous = getGlobalDispatcher();
		setGlobalDispatcher(new Agent({ connect: { ca: graph.certificate } }));
	});
	afterAll(async () => {
		if (previous !== undefined) setGlobalDispatcher(previous);
		await graph?.close();
		await platform?.close();
	});

	const fakePlatform = () => {
		if (platform === undefined) throw new Error("the fake identity platform has not started");
		return platform;
	};
	const fakeGraph = () => {
		if (graph === undefined) throw new Error("the fake Graph has not started");
		return graph;
	};
	const common = () => ({
		tenantId: fakePlatform().tenantId,
		tokenBackend: new MemoryTokenBackend(),
		protocol: new MSGraphProtocol({ protocolUrl: `${fakeGraph().origin}/` }),
		...fakePlatform().msalConfig(),
	});

	/** An app-only account, signed in. */
	const daemon = async () => {
		const account = new Account([DAEMON.clientId, DAEMON.clientSecret], {
			...common(),
			authFlowType: "credentials",
		});
		await account.authenticate();
		return account;
	};

	/** A user account signed in through the fake browser. */
	const signedInUser = async () => {
		const account = new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
			...common(),
			redirectUri: REDIRECT_URI,
		});
		const { url, flow } = await account.getAuthorizationUrl(["basic", "users"]);
		const redirected = await fakePlatform().browser.signIn(url, { username: "adele@contoso.test" });
		await account.requestToken(redirected, { flow });
		return account;
	};

	return { platform: fakePlatform, graph: fakeGraph, daemon, signedInUser };
}

export const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
