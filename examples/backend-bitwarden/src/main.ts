/**
 * Tokens in Bitwarden Secrets Manager (@o365/backend-bitwarden), through Bitwarden's SDK:
 *
 *   pnpm --filter @o365/example-backend-bitwarden start     # offline: test kit + fake Bitwarden
 *
 * No Bitwarden server runs offline, so without BWS_ACCESS_TOKEN the example starts the fake
 * server the package's own tests use (`@o365/backend-bitwarden/testing`), which the real SDK talks
 * to. For a real Bitwarden set BWS_ACCESS_TOKEN (a machine account's access token),
 * BWS_ORGANIZATION_ID and BWS_PROJECT_ID (where the token secret is created on the first run),
 * then O365_TOKEN_SECRET_ID to the id it prints; BWS_API_URL and BWS_IDENTITY_URL for the EU
 * cloud or a self-hosted server.
 */

import { BitwardenSecretsManagerBackend } from "@o365/backend-bitwarden";
import { runMain, showUserWithBackend, startDemo } from "@o365/example-support";

interface BitwardenSetup {
	accessToken: string;
	organizationId: string | undefined;
	projectId: string | undefined;
	apiUrl: string | undefined;
	identityUrl: string | undefined;
	where: string;
	close(): Promise<void>;
}

async function bitwarden(env: NodeJS.ProcessEnv): Promise<BitwardenSetup> {
	if (env.BWS_ACCESS_TOKEN) {
		return {
			accessToken: env.BWS_ACCESS_TOKEN,
			organizationId: env.BWS_ORGANIZATION_ID,
			projectId: env.BWS_PROJECT_ID,
			apiUrl: env.BWS_API_URL,
			identityUrl: env.BWS_IDENTITY_URL,
			where: `Bitwarden Secrets Manager${env.BWS_API_URL ? ` at ${env.BWS_API_URL}` : ""}`,
			close: async () => {},
		};
	}
	// Loaded only here: a real setup never loads the fake.
	const { makeAccessToken, startFakeBitwardenServer } = await import("@o365/backend-bitwarden/testing");
	const token = makeAccessToken();
	const server = await startFakeBitwardenServer({ accessTokens: [token] });
	return {
		accessToken: token.token,
		organizationId: server.organizationId,
		projectId: undefined,
		apiUrl: server.apiUrl,
		identityUrl: server.identityUrl,
		where: "the fake Bitwarden server (offline)",
		close: () => server.close(),
	};
}

runMain(async () => {
	const setup = await bitwarden(process.env);
	const demo = await startDemo();
	try {
		const tokenBackend = new BitwardenSecretsManagerBackend({
			accessToken: setup.accessToken,
			secretId: process.env.O365_TOKEN_SECRET_ID,
			organizationId: setup.organizationId,
			projectId: setup.projectId,
			apiUrl: setup.apiUrl,
			identityUrl: setup.identityUrl,
			onSecretCreated: (id) =>
				console.log(`Created the token secret: set O365_TOKEN_SECRET_ID=${id} to reuse it.`),
		});
		await showUserWithBackend(demo, tokenBackend, () => `${setup.where}, secret ${tokenBackend.secretId}`);
	} finally {
		await demo.close();
		await setup.close();
	}
});
