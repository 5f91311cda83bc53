/**
 * Who signs users in: the real Microsoft identity platform when O365_CLIENT_ID is set, else the test kit's
 * fake identity platform and fake Graph, started in this process (offline).
 */
import { type AccountOptions, ConfigurationError, type Credentials, MSGraphProtocol } from "@o365/core";
import {
	type FakeGraph,
	type FakeIdentityPlatform,
	startFakeGraph,
	startFakeIdentityPlatform,
} from "@o365/testkit";

/** The fake's users; the sign-in page asks for these passwords. */
export const DEMO_USERS = [
	{ username: "adele@contoso.test", name: "Adele Vance", password: "adele-password" },
	{ username: "megan@contoso.test", name: "Megan Bowen", password: "megan-password" },
] as const;

const DEMO_TENANT = "00000000-0000-4000-8000-0000000000d0";
const DEMO_CLIENT_ID = "00000000-0000-4000-8000-00000000e0b1";

export interface Identity {
	credentials: Credentials;
	accountOptions: Omit<AccountOptions, "tokenBackend" | "authFlowType">;
	/** The redirect URI to use; the real one comes from O365_REDIRECT_URI. */
	redirectUri: string;
	/** The fakes, when they run (offline mode). */
	fake?: { idp: FakeIdentityPlatform; graph: FakeGraph };
	close(): Promise<void>;
}

/** Reads the real app registration from the environment, or starts the fakes with `redirectUri` registered. */
export async function setUpIdentity(env: NodeJS.ProcessEnv, defaultRedirectUri: string): Promise<Identity> {
	const clientId = env.O365_CLIENT_ID;
	if (clientId) {
		const secret = env.O365_CLIENT_SECRET;
		if (!secret) {
			throw new ConfigurationError(
				"invalid_credentials",
				"O365_CLIENT_SECRET is not set: a web app is a confidential client; add a client secret to the app registration and set it.",
			);
		}
		return {
			credentials: [clientId, secret],
			accountOptions: env.O365_TENANT_ID ? { tenantId: env.O365_TENANT_ID } : {},
			redirectUri: env.O365_REDIRECT_URI || defaultRedirectUri,
			close: async () => {},
		};
	}
	const secret = "web-app-demo-secret";
	const idp = await startFakeIdentityPlatform({
		tenantId: DEMO_TENANT,
		clients: [{ clientId: DEMO_CLIENT_ID, clientSecret: secret, redirectUris: [defaultRedirectUri] }],
		users: DEMO_USERS.map((user) => ({ ...user })),
	});
	const graph = await startFakeGraph({ identityPlatform: idp });
	return {
		credentials: [DEMO_CLIENT_ID, secret],
		accountOptions: {
			tenantId: DEMO_TENANT,
			protocol: new MSGraphProtocol({ protocolUrl: `${graph.origin}/` }),
			...idp.msalConfig(),
		},
		redirectUri: defaultRedirectUri,
		fake: { idp, graph },
		close: async () => {
			await graph.close();
			await idp.close();
		},
	};
}
