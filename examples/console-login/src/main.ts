/**
 * Console sign-in, python-o365's Getting Started in TypeScript:
 *
 *   pnpm demo                       # against the test kit's fake identity platform (offline)
 *   O365_CLIENT_ID=… pnpm demo      # against the real Microsoft identity platform
 *
 * The first run signs in (the fake's "browser" consents by itself; for real, you paste the
 * redirected URL) and stores the token on disk; the next runs sign in silently from it. Each run
 * then asks Microsoft Graph (the test kit's fake Graph, offline) who signed in: GET /me.
 * Set O365_CLIENT_SECRET for a confidential app, O365_TENANT_ID for a single-tenant app and
 * O365_TOKEN_PATH to choose the token folder (default ./.o365-demo).
 */

import { resolve } from "node:path";
import { FileSystemTokenBackend } from "@o365/backend-fs";
import {
	Account,
	type AccountOptions,
	type ConsentHandler,
	type Credentials,
	MSGraphProtocol,
} from "@o365/core";
import { startFakeGraph, startFakeIdentityPlatform } from "@o365/testkit";

const DEMO_USER = {
	username: "adele@contoso.test",
	name: "Adele Vance",
	oid: "00000000-0000-4000-8000-00000000ad11",
};
const DEMO_TENANT = "00000000-0000-4000-8000-0000000000d0";
const DEMO_APP = {
	clientId: "00000000-0000-4000-8000-00000000de70",
	redirectUri: "http://localhost:8400/callback",
};

interface Setup {
	credentials: Credentials;
	options: AccountOptions;
	handleConsent?: ConsentHandler;
	close(): Promise<void>;
}

/** The real identity platform when O365_CLIENT_ID is set, else the test kit's fake. */
async function setUp(env: NodeJS.ProcessEnv): Promise<Setup> {
	const clientId = env.O365_CLIENT_ID;
	if (clientId) {
		const secret = env.O365_CLIENT_SECRET;
		return {
			credentials: secret ? [clientId, secret] : clientId,
			options: {
				authFlowType: secret ? "authorization" : "public",
				...(env.O365_TENANT_ID ? { tenantId: env.O365_TENANT_ID } : {}),
			},
			close: async () => {},
		};
	}
	const fake = await startFakeIdentityPlatform({
		tenantId: DEMO_TENANT,
		// Refresh tokens stay valid across runs, although each run starts a new fake.
		secretSeed: "o365-console-login-demo",
		clients: [{ clientId: DEMO_APP.clientId, isPublic: true, redirectUris: [DEMO_APP.redirectUri] }],
		users: [DEMO_USER],
	});
	const graph = await startFakeGraph({ identityPlatform: fake });
	return {
		credentials: DEMO_APP.clientId,
		options: {
			authFlowType: "public",
			tenantId: DEMO_TENANT,
			redirectUri: DEMO_APP.redirectUri,
			protocol: new MSGraphProtocol({ protocolUrl: `${graph.origin}/` }),
			...fake.msalConfig(),
		},
		handleConsent: (url) => fake.browser.signIn(url),
		close: async () => {
			await graph.close();
			await fake.close();
		},
	};
}

async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
	const setup = await setUp(env);
	try {
		const tokenBackend = new FileSystemTokenBackend({
			tokenPath: resolve(env.O365_TOKEN_PATH ?? ".o365-demo"),
		});
		const account = new Account(setup.credentials, { ...setup.options, tokenBackend });
		let how = "silently (from the stored token)";
		if (!(await account.isAuthenticated())) {
			const signedIn = await account.authenticate({
				scopes: ["basic"],
				...(setup.handleConsent ? { handleConsent: setup.handleConsent } : {}),
			});
			if (!signedIn) return;
			how = "interactively";
		}
		// The token is refreshed on the way if it has expired.
		const me = (await (await account.con.get("me")).json()) as {
			displayName: string;
			userPrincipalName: string;
		};
		console.log(`Signed in ${how} as ${me.displayName} <${me.userPrincipalName}>.`);
		console.log(`Token stored in ${tokenBackend.tokenFile}`);
	} finally {
		await setup.close();
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
	process.exitCode = 1;
});
