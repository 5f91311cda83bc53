/**
 * Loopback sign-in: the app listens on 127.0.0.1 (a free port), opens the sign-in page in the
 * browser, and receives the answer on `http://localhost:<port>` — no URL to copy and paste. State
 * and PKCE are checked; the local server closes on success, error, timeout or Ctrl-C.
 *
 *   pnpm --filter @o365/example-loopback start     # against the test kit (offline)
 *
 * For the real Microsoft identity platform set O365_CLIENT_ID (an app registration with the
 * "Mobile and desktop applications" platform and the redirect URI http://localhost) and
 * O365_TENANT_ID for a single-tenant app. O365_BROWSER=none prints the URL instead of opening a
 * browser (e.g. over SSH with a forwarded port).
 */

import { Account, type BrowserOpener } from "@o365/core";
import { cancelOnCtrlC, printSignedInUser, runMain, startDemo, USER_SCOPES } from "@o365/example-support";

runMain(async () => {
	const demo = await startDemo();
	const cancel = cancelOnCtrlC();
	try {
		const account = new Account(demo.credentials, demo.accountOptions);
		const kit = demo.testKit;
		// Offline, the test kit's scripted browser follows the sign-in page to our loopback server.
		let openBrowser: BrowserOpener | null | undefined;
		if (kit) {
			openBrowser = async (url) => {
				await kit.idp.browser.openBrowser(url);
				return true;
			};
		} else if (demo.env.browser === "none") {
			openBrowser = null; // core prints the URL to open
		}
		const signedIn = await account.authenticate({
			scopes: [...USER_SCOPES],
			method: "loopback",
			signal: cancel.signal,
			...(openBrowser === undefined ? {} : { openBrowser }),
		});
		if (signedIn) await printSignedInUser(account, "through the browser (loopback)");
	} finally {
		cancel.dispose();
		await demo.close();
	}
});
