import { DEMO_USERS } from "./identity.js";
import { type StartWebAppOptions, startWebApp } from "./server.js";

/**
 * What both web-app examples' `start` does: starts the app, prints how to sign in (with `notes` first),
 * serves until SIGINT or SIGTERM. Exits 1 with a one-line message when it cannot start.
 */
export function serveWebApp(options: Omit<StartWebAppOptions, "port"> & { notes?: string[] }): void {
	const { notes = [], env = process.env, tokens } = options;
	const serve = async () => {
		const app = await startWebApp({ env, port: Number(env.PORT || 3000), ...(tokens ? { tokens } : {}) });
		for (const note of notes) console.log(note);
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
	};
	serve().catch((error: unknown) => {
		console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
		process.exitCode = 1;
	});
}
