import { fileURLToPath } from "node:url";
import { runExample } from "@o365/example-support/test";
import { describe, expect, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

describe("app-credentials example", () => {
	it("signs the app in with a secret and with a certificate against the test kit, and calls Graph as the app", async () => {
		const { code, stdout, stderr } = await runExample(exampleDir);
		expect(stderr).toBe("");
		expect(code).toBe(0);
		expect(stdout).toMatch(
			/App signed in with a secret: roles User\.Read\.All, token valid for (59|60) min\.\n {2}GET \/users: adele@contoso\.test\n/,
		);
		expect(stdout).toMatch(
			/App signed in with a certificate: roles User\.Read\.All, Mail\.Read, token valid for (59|60) min\.\n {2}GET \/users: adele@contoso\.test\n/,
		);
	});
});
