/**
 * `startDemo`: the one decision every example makes first. With `O365_CLIENT_ID` set, the real
 * Microsoft identity platform (or the one `O365_AUTHORITY_CONFIG` names); without it, the test
 * kit, started in this process, whose scripted browser signs the demo user in.
 */
import { type AccountOptions, type ConsentHandler, type Credentials, MSGraphProtocol } from "@o365/core";
import { type ExampleEnv, readExampleEnv } from "./env.js";
import {
	DEMO_APP,
	DEMO_TENANT_ID,
	type StartTestKitOptions,
	startTestKit,
	type TestKit,
} from "./test-kit.js";

export interface Demo {
	readonly env: ExampleEnv;
	/** The user-flow app: `[clientId, secret]` with O365_CLIENT_SECRET, else the public client id. */
	readonly credentials: Credentials;
	/** Flow type, tenant, redirect URI and, against a test kit, its authority and Graph. */
	readonly accountOptions: AccountOptions;
	/** Set when the example runs against the test kit in this process. */
	readonly testKit: TestKit | undefined;
	/** The console sign-in's consent step: the test kit's browser, or core's default (paste the URL). */
	readonly handleConsent: ConsentHandler | undefined;
	close(): Promise<void>;
}

export async function startDemo(
	options: StartTestKitOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<Demo> {
	const env = readExampleEnv(options.env);
	if (env.clientId !== undefined) {
		const secret = env.clientSecret;
		return {
			env,
			credentials: secret === undefined ? env.clientId : [env.clientId, secret],
			accountOptions: {
				authFlowType: secret === undefined ? "public" : "authorization",
				...(env.tenantId === undefined ? {} : { tenantId: env.tenantId }),
				...(env.redirectUri === undefined ? {} : { redirectUri: env.redirectUri }),
				...(env.authorityConfig ?? {}),
				...(env.graphUrl === undefined
					? {}
					: { protocol: new MSGraphProtocol({ protocolUrl: env.graphUrl }) }),
			},
			testKit: undefined,
			handleConsent: undefined,
			close: async () => {},
		};
	}
	const testKit = await startTestKit(options);
	return {
		env,
		credentials: DEMO_APP.clientId,
		accountOptions: {
			authFlowType: "public",
			tenantId: DEMO_TENANT_ID,
			redirectUri: DEMO_APP.redirectUri,
			...testKit.accountOptions(),
		},
		testKit,
		handleConsent: (url) => testKit.idp.browser.signIn(url),
		close: () => testKit.close(),
	};
}
