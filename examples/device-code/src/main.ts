/**
 * Device code sign-in: the app prints a short code and a URL; the user opens the URL on any device
 * (a phone, another computer), enters the code and signs in, while the app polls for the result.
 * No redirect URI and no local browser: it works over SSH and in containers.
 *
 *   pnpm --filter @o365/example-device-code start     # against the test kit (offline)
 *
 * For the real Microsoft identity platform set O365_CLIENT_ID (an app registration with "Allow
 * public client flows" enabled) and O365_TENANT_ID for a single-tenant app. Ctrl-C cancels.
 */

import { Account, type DeviceCodeInfo } from "@o365/core";
import { cancelOnCtrlC, printSignedInUser, runMain, startDemo, USER_SCOPES } from "@o365/example-support";

runMain(async () => {
	const demo = await startDemo();
	const cancel = cancelOnCtrlC();
	try {
		const account = new Account(demo.credentials, demo.accountOptions);
		const kit = demo.testKit;
		// Offline, the test kit's scripted browser plays the user on "another device" while we poll;
		// if it fails, the wait stops at once instead of running into the timeout.
		const browserFailed = new AbortController();
		const onDeviceCode = kit
			? (info: DeviceCodeInfo) => {
					process.stderr.write(`${info.message}\n`);
					kit.idp.browser.completeDeviceCode(info.userCode).catch((error: unknown) => {
						browserFailed.abort(error);
					});
				}
			: undefined; // core's default prints the message (URL, code, expiry) to stderr
		const signedIn = await account.authenticate({
			scopes: [...USER_SCOPES],
			method: "deviceCode",
			signal: AbortSignal.any([cancel.signal, browserFailed.signal]),
			...(onDeviceCode ? { onDeviceCode } : {}),
		});
		if (signedIn) await printSignedInUser(account, "with a device code");
	} finally {
		cancel.dispose();
		await demo.close();
	}
});
