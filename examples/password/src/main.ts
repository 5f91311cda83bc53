/**
 * The password flow (OAuth's resource owner password credentials, python-o365's
 * `auth_flow_type="password"`): legacy, shown so that you can recognise and replace it.
 *
 *   pnpm --filter @o365/example-password start     # against the test kit (offline)
 *
 * Against the real Microsoft identity platform set O365_CLIENT_ID, O365_TENANT_ID (your tenant:
 * personal accounts cannot use this flow), O365_USERNAME and O365_PASSWORD.
 */

import { Account, type AccountOptions } from "@o365/core";
import {
	printSignedInUser,
	readExampleEnv,
	runMain,
	startTestKit,
	type TestKit,
} from "@o365/example-support";

const WHY_NOT = [
	"Warning: the password flow is legacy. The user's password passes through this app, multi-factor",
	"authentication cannot happen (Entra refuses users who need it), personal Microsoft accounts cannot",
	"use it, and Microsoft recommends against it. Use device code or loopback sign-in instead.",
].join("\n");

/** A user with a password on the test kit (users without one sign in only through the browser). */
const PASSWORD_USER = { username: "megan@contoso.test", name: "Megan Bowen", password: "example-password" };

runMain(async () => {
	console.error(WHY_NOT);
	const env = readExampleEnv();
	let kit: TestKit | undefined;
	let clientId: string;
	let options: AccountOptions;
	if (env.clientId) {
		clientId = env.clientId;
		options = {
			authFlowType: "password",
			username: env.username,
			password: env.password,
			...(env.tenantId ? { tenantId: env.tenantId } : {}),
			...(env.authorityConfig ?? {}),
		};
	} else {
		kit = await startTestKit({ users: [PASSWORD_USER] });
		clientId = kit.clientId;
		options = {
			authFlowType: "password",
			username: PASSWORD_USER.username,
			password: PASSWORD_USER.password,
			tenantId: kit.idp.tenantId,
			...kit.accountOptions(),
		};
	}
	try {
		// The options are checked here: a missing username or password, or tenant 'common', is a ConfigurationError.
		const account = new Account(clientId, options);
		await account.authenticate({ scopes: ["basic"] });
		await printSignedInUser(account, "with a password");
	} finally {
		await kit?.close();
	}
});
