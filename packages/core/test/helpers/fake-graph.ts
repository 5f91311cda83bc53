import { Account, type AccountOptions, type Logger, MemoryTokenBackend, MSGraphProtocol } from "@o365/core";
import { type FakeGraph, type FakeGraphOptions, startFakeGraph } from "@o365/testkit";
import { afterAll, beforeAll, expect } from "vitest";
import { DAEMON, REDIRECT_URI, useFakePlatform, WEB_APP } from "./fake-platform.js";

/**
 * A fake identity platform and a fake Graph for one test file, accounts pointed at them, and a
 * debug-level logger whose every line, over the whole file, is checked for tokens and secrets.
 */
export function useFakeGraph(options: Omit<FakeGraphOptions, "identityPlatform"> = {}) {
	const platform = useFakePlatform();
	let graph: FakeGraph | undefined;
	const logLines: string[] = [];
	const logger: Logger = {};
	for (const level of ["debug", "info", "warn", "error"] as const) {
		logger[level] = (message, details) => {
			logLines.push(`${level} ${message} ${details === undefined ? "" : JSON.stringify(details)}`);
		};
	}
	const tokens = new Set<string>();

	beforeAll(async () => {
		graph = await startFakeGraph({ ...options, identityPlatform: platform() });
	});
	afterAll(async () => {
		await graph?.close();
		expect(logLines.length).toBeGreaterThan(0);
		for (const line of logLines) {
			expect(line).not.toMatch(/Bearer ey/i);
			expect(line).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
			expect(line).not.toContain(DAEMON.clientSecret);
			expect(line).not.toContain(WEB_APP.clientSecret);
			for (const token of tokens) expect(line).not.toContain(token);
		}
	});

	const fakeGraph = () => {
		if (graph === undefined) throw new Error("the fake Graph has not started");
		return graph;
	};

	const common = (extra: Partial<AccountOptions>): AccountOptions => ({
		tenantId: platform().tenantId,
		tokenBackend: new MemoryTokenBackend(),
		protocol: new MSGraphProtocol({ protocolUrl: `${fakeGraph().origin}/` }),
		logger,
		retryBackoffMs: 10,
		...platform().msalConfig(),
		...extra,
	});

	/** An app-only (client credentials) account, ready to call Graph. */
	const daemon = (extra: Partial<AccountOptions> = {}) =>
		new Account([DAEMON.clientId, DAEMON.clientSecret], common({ authFlowType: "credentials", ...extra }));

	/** A user account signed in through the fake browser. */
	const signedInUser = async (extra: Partial<AccountOptions> = {}, username = "adele@contoso.test") => {
		const account = new Account(
			[WEB_APP.clientId, WEB_APP.clientSecret],
			common({ redirectUri: REDIRECT_URI, ...extra }),
		);
		const { url, flow } = await account.getAuthorizationUrl(["basic", "users"]);
		await account.requestToken(await platform().browser.signIn(url, { username }), { flow });
		return account;
	};

	/** Remembers a bearer so the log check also looks for it verbatim. */
	const rememberToken = async (account: Account) => {
		tokens.add(await account.con.getAccessToken());
	};

	return { platform, graph: fakeGraph, daemon, signedInUser, rememberToken, logLines };
}

/** Resolves once `predicate` holds, polling (for events the code under test does not announce). */
export async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error("condition not met in time");
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
