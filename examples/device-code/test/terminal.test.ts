import { fileURLToPath } from "node:url";
import { startTestKit, type TestKit, testKitEnv } from "@o365/example-support";
import { EXAMPLE_COMMAND, exampleBaseEnv, startInTerminal, type Terminal } from "@o365/example-support/test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));
const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

describe("device code sign-in in a real terminal (pseudo-terminal)", () => {
	let kit: TestKit;
	let terminal: Terminal | undefined;
	beforeEach(async () => {
		kit = await startTestKit();
		kit.idp.settings.deviceCodeInterval = 0.05; // seconds between polls
	});
	afterEach(async () => {
		terminal?.kill();
		await terminal?.exited.catch(() => {});
		await kit.close();
	});

	it("shows the code, keeps polling while the user signs in elsewhere, then shows the user", async () => {
		terminal = startInTerminal(EXAMPLE_COMMAND, {
			cwd: exampleDir,
			env: { ...exampleBaseEnv(), ...testKitEnv(kit) },
		});
		const [, url, userCode] = await terminal.waitFor(/open (\S+) and enter the code ([A-Z0-9-]+)/);
		expect(url).toBe(`${kit.idp.origin}/devicelogin`);
		// The example is waiting: its polls are answered authorization_pending.
		await vi.waitFor(
			() =>
				expect(
					kit.idp.tokenRequests(DEVICE_CODE_GRANT).some((r) => r.error === "authorization_pending"),
				).toBe(true),
			{ timeout: 10_000, interval: 20 },
		);
		expect(terminal.output).not.toContain("Signed in");
		await kit.idp.browser.completeDeviceCode(userCode as string);
		await terminal.waitFor(/Signed in with a device code as Adele Vance <adele@contoso\.test>\./);
		expect(await terminal.exited).toBe(0);
	});

	it("stops waiting on Ctrl-C with a clear message and exit code 1", async () => {
		terminal = startInTerminal(EXAMPLE_COMMAND, {
			cwd: exampleDir,
			env: { ...exampleBaseEnv(), ...testKitEnv(kit) },
		});
		await terminal.waitFor(/enter the code [A-Z0-9-]+/);
		terminal.typeLine("\u0003"); // the terminal turns ^C into SIGINT for the example
		expect(await terminal.exited).toBe(1);
		expect(terminal.output).not.toContain("Signed in");
		expect(terminal.output).toContain(
			"O365Error: the operation was aborted by its AbortSignal. (cancelled with Ctrl-C)",
		);
	});
});
