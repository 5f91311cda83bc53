/**
 * The multi-user web app example: the web app of ../web-app with each signed-in user's tokens in their own
 * folder (FileSystemTokenBackend), so they survive a restart and never mix.
 *
 *   pnpm --filter @o365/example-multi-user-web-app start     # offline: the test kit's fakes
 *
 * Listens on PORT (default 3000). Token folders go under O365_TOKEN_ROOT (default: a new temporary folder).
 * Set O365_CLIENT_ID, O365_CLIENT_SECRET, O365_TENANT_ID and O365_REDIRECT_URI for real Microsoft Entra.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DEMO_USERS, startWebApp } from "@o365/example-web-app";
import { FileSystemUserTokenStore } from "./fs-user-tokens.js";

async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
	const root = env.O365_TOKEN_ROOT
		? resolve(env.O365_TOKEN_ROOT)
		: await mkdtemp(join(tmpdir(), "o365-web-users-"));
	const tokens = new FileSystemUserTokenStore(root);
	const app = await startWebApp({ env, port: Number(env.PORT || 3000), tokens });
	console.log(`Each user's tokens are stored in a folder under ${root}`);
	if (app.identity.fake) {
		console.log(`Identity platform: the test kit's fake at ${app.identity.fake.idp.origin}; sign in as`);
		for (const user of DEMO_USERS) console.log(`  ${user.username} (password: ${user.password})`);
	}
	// Last: a script waiting for this line has everything above it.
	console.log(`Web app listening on ${app.url}`);
	const stop = () => {
		app.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once("SIGINT", stop);
	process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
	process.exitCode = 1;
});
