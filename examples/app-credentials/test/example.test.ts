import { fileURLToPath } from "node:url";
import { runTypeScript } from "@o365/testkit";
import { describe, expect, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

describe("app-credentials example", () => {
	it("signs the app in with a secret and with a certificate against the fake identity platform", async () => {
		const env = { ...process.env };
		delete env.O365_CLIENT_ID;
		const { code, stdout, stderr } = await runTypeScript("src/main.ts", [], { cwd: exampleDir, env });
		expect(stderr).toBe("");
		expect(code).toBe(0);
		expect(stdout).toMatch(
			/App signed in with a secret: roles User\.Read\.All, token valid for (59|60) min\./,
		);
		expect(stdout).toMatch(
			/App signed in with a certificate: roles Mail\.Read, token valid for (59|60) min\./,
		);
	});
});
