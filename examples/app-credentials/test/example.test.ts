import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

const exampleDir = new URL("..", import.meta.url).pathname;

describe("app-credentials example", () => {
	it("signs the app in with a secret and with a certificate against the fake identity platform", async () => {
		const env = { ...process.env };
		delete env.O365_CLIENT_ID;
		const child = spawn(
			process.execPath,
			[
				"--conditions=@o365/source",
				"--import",
				"tsx",
				"--import",
				"@o365/testkit/guard-process",
				"src/main.ts",
			],
			{
				cwd: exampleDir,
				env,
			},
		);
		let stdout = "";
		let stderr = "";
		child.stdout.on("data", (chunk: Buffer) => {
			stdout += chunk.toString();
		});
		child.stderr.on("data", (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
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
