/**
 * The web app example:
 *
 *   pnpm --filter @o365/example-web-app start        # offline: the test kit's identity platform and Graph
 *   O365_CLIENT_ID=… O365_CLIENT_SECRET=… pnpm --filter @o365/example-web-app start   # real Microsoft Entra
 *
 * Listens on PORT (default 3000); open http://localhost:3000.
 */
import { DEMO_USERS } from "./identity.js";
import { startWebApp } from "./server.js";

async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
	const app = await startWebApp({ env, port: Number(env.PORT || 3000) });
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
