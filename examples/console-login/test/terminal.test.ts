import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestKit, type TestKit, testKitEnv } from "@o365/example-support";
import { EXAMPLE_COMMAND, exampleBaseEnv, startInTerminal, type Terminal } from "@o365/example-support/test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

describe("console sign-in in a real terminal (pseudo-terminal), as a user does it", () => {
	let kit: TestKit;
	let tokenPath: string;
	let terminal: Terminal | undefined;
	beforeEach(async () => {
		kit = await startTestKit();
		tokenPath = await mkdtemp(join(tmpdir(), "o365-console-tty-"));
	});
	afterEach(async () => {
		terminal?.kill();
		await terminal?.exited.catch(() => {});
		await kit.close();
		await rm(tokenPath, { recursive: true, force: true });
	});

	it("prints the sign-in URL, takes the pasted redirected URL and shows the signed-in user", async () => {
		// The example's real-service path (core's console prompt), pointed at the test's test kit.
		terminal = startInTerminal(EXAMPLE_COMMAND, {
			cwd: exampleDir,
			env: { ...exampleBaseEnv(), ...testKitEnv(kit), O365_TOKEN_PATH: tokenPath },
		});
		const [, url] = await terminal.waitFor(/Visit the following url to give consent:\n(\S+)\n/);
		expect(url).toMatch(/\/oauth2\/v2\.0\/authorize\?/);
		await terminal.waitFor(/Paste the authenticated url here:/);
		// The user signs in in a browser, which ends on the redirect URI; they copy that URL.
		const redirected = await kit.idp.browser.signIn(url as string);
		expect(new URL(redirected).searchParams.get("code")).toBeTruthy();
		terminal.typeLine(redirected);
		await terminal.waitFor(/Signed in interactively as Adele Vance <adele@contoso\.test>\./);
		expect(await terminal.exited).toBe(0);
		expect(kit.idp.tokenRequests("authorization_code")).toHaveLength(1);
	});
});
