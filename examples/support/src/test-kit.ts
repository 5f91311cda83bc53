/**
 * The test kit every example runs against by default: a fake Microsoft identity platform and a
 * fake Microsoft Graph on 127.0.0.1, with one tenant, one user and one app registration. Tests
 * that drive an example from outside (in a terminal) start the same one and point the example at
 * it (see {@link testKitEnv}).
 */
import { MSGraphProtocol } from "@o365/core";
import {
	type FakeClientRegistration,
	type FakeGraph,
	type FakeIdentityPlatform,
	type FakeMsalConfig,
	type FakeUserInput,
	startFakeGraph,
	startFakeIdentityPlatform,
} from "@o365/testkit";

export const DEMO_TENANT_ID = "00000000-0000-4000-8000-0000000000d0";
export const DEMO_USER = {
	username: "adele@contoso.test",
	name: "Adele Vance",
	oid: "00000000-0000-4000-8000-00000000ad11",
} as const satisfies FakeUserInput;
/**
 * A public client (PKCE, no secret) registered as Entra needs it for every user sign-in the
 * examples show: the console redirect URI, and `http://localhost` (any port) for loopback.
 */
export const DEMO_APP = {
	clientId: "00000000-0000-4000-8000-00000000de70",
	redirectUri: "http://localhost:8400/callback",
} as const;

export interface StartTestKitOptions {
	/** More app registrations, e.g. confidential clients for the app-only flow. @default [] */
	clients?: FakeClientRegistration[];
	/** More users, e.g. one with a password for the password flow. @default [] */
	users?: FakeUserInput[];
}

/** A running test kit: the fake identity platform and Graph, and how to point an Account at them. */
export interface TestKit {
	readonly idp: FakeIdentityPlatform;
	readonly graph: FakeGraph;
	/** The demo app's client id ({@link DEMO_APP}). */
	readonly clientId: string;
	/** The Account options (authority, metadata, Graph URL) that reach the fakes and nothing else. */
	accountOptions(): FakeMsalConfig & { protocol: MSGraphProtocol };
	close(): Promise<void>;
}

export async function startTestKit(options: StartTestKitOptions = {}): Promise<TestKit> {
	const idp = await startFakeIdentityPlatform({
		tenantId: DEMO_TENANT_ID,
		// Refresh tokens stay valid across runs, although each run starts a new fake.
		secretSeed: "o365-examples",
		clients: [
			{
				clientId: DEMO_APP.clientId,
				isPublic: true,
				redirectUris: [DEMO_APP.redirectUri, "http://localhost"],
			},
			...(options.clients ?? []),
		],
		users: [DEMO_USER, ...(options.users ?? [])],
	});
	const graph = await startFakeGraph({ identityPlatform: idp });
	return {
		idp,
		graph,
		clientId: DEMO_APP.clientId,
		accountOptions: () => ({
			...idp.msalConfig(),
			protocol: new MSGraphProtocol({ protocolUrl: `${graph.origin}/` }),
		}),
		close: async () => {
			await graph.close();
			await idp.close();
		},
	};
}

/**
 * The variables that make an example use a test kit running elsewhere (in the test) through the
 * same code path as real Entra: `O365_CLIENT_ID` plus the kit's authority and Graph URL.
 */
export function testKitEnv(kit: TestKit): Record<string, string> {
	return {
		O365_CLIENT_ID: DEMO_APP.clientId,
		O365_TENANT_ID: DEMO_TENANT_ID,
		O365_REDIRECT_URI: DEMO_APP.redirectUri,
		O365_AUTHORITY_CONFIG: JSON.stringify(kit.idp.msalConfig()),
		O365_GRAPH_URL: `${kit.graph.origin}/`,
	};
}
