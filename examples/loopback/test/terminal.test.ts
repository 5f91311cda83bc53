import { fileURLToPath } from "node:url";
import { startTestKit, type TestKit, testKitEnv } from "@o365/example-support";
import { EXAMPLE_COMMAND, exampleBaseEnv, startInTerminal, type Terminal } from "@o365/example-support/test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

describe("loopback sign-in in a real terminal (pseudo-terminal), the test acting as the browser", () => {
	let kit: TestKit;
	let terminal: Terminal | undefined;
	beforeEach(async () => {
		kit = await startTestKit();
	});
	afterEach(async () => {
		terminal?.kill();
		await terminal?.exited.catch(() => {});
		await kit.close();
	});

	it("prints the sign-in URL (O365_BROWSER=none), receives the browser's redirect on localhost and shows the user", async () => {
		terminal = startInTerminal(EXAMPLE_COMMAND, {
			cwd: exampleDir,
			env: { ...exampleBaseEnv(), ...testKitEnv(kit), O365_BROWSER: "none" },
		});
		const [url] = await terminal.waitFor(/http:\/\/127\.0\.0\.1:\d+\/\S+\/oauth2\/v2\.0\/authorize\?\S+/);
		const authorize = new URL(url);
		const redirectUri = new URL(authorize.searchParams.get("redirect_uri") as string);
		expect(redirectUri.hostname).toBe("localhost");
		expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
		expect(authorize.searchParams.get("state")).toBeTruthy();
		// The user's browser: signs in, and follows the redirect to the example's loopback server.
		await kit.idp.browser.openBrowser(url);
		await terminal.waitFor(
			/Signed in through the browser \(loopback\) as Adele Vance <adele@contoso\.test>\./,
		);
		expect(await terminal.exited).toBe(0);
		expect(kit.idp.tokenRequests("authorization_code")).toHaveLength(1);
	});
});
