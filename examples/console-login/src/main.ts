/**
 * Console sign-in, python-o365's Getting Started in TypeScript:
 *
 *   pnpm demo                       # against the test kit's fake identity platform (offline)
 *   O365_CLIENT_ID=… pnpm demo      # against the real Microsoft identity platform
 *
 * The first run signs in (the test kit's browser consents by itself; for real, you open the URL,
 * sign in and paste the URL the browser ends on) and stores the token on disk; the next runs sign
 * in silently from it. Each run then asks Microsoft Graph who signed in: GET /me.
 * Set O365_CLIENT_SECRET for a confidential app, O365_TENANT_ID for a single-tenant app,
 * O365_REDIRECT_URI for the app's redirect URI and O365_TOKEN_PATH to choose the token folder
 * (default ./.o365-demo).
 */

import { resolve } from "node:path";
import { FileSystemTokenBackend } from "@o365/backend-fs";
import { Account } from "@o365/core";
import { printSignedInUser, runMain, signInUser, startDemo } from "@o365/example-support";

runMain(async () => {
	const demo = await startDemo();
	try {
		const tokenBackend = new FileSystemTokenBackend({
			tokenPath: resolve(process.env.O365_TOKEN_PATH ?? ".o365-demo"),
		});
		const account = new Account(demo.credentials, { ...demo.accountOptions, tokenBackend });
		const how = await signInUser(account, demo.handleConsent ? { handleConsent: demo.handleConsent } : {});
		if (how === undefined) return;
		await printSignedInUser(account, how);
		console.log(`Token stored in ${tokenBackend.tokenFile}`);
	} finally {
		await demo.close();
	}
});
