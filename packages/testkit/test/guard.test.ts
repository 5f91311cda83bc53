import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const vitestBin = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
const fixtureConfig = join(import.meta.dirname, "fixtures", "guard", "vitest.config.ts");

describe("@o365/testkit/guard setup file", () => {
	it("fails a test that tried to leave loopback even when the test swallowed the error", async () => {
		const output = await new Promise<string>((resolve) => {
			execFile(
				process.execPath,
				[vitestBin, "run", "--config", fixtureConfig, "--reporter", "verbose", "--no-color"],
				{ timeout: 60_000, env: { ...process.env, NO_COLOR: "1", CI: "1" } },
				(_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
			);
		});
		expect(output).toMatch(/This test tried to reach the network beyond loopback: egress-check\.invalid:80/);
		expect(output).toMatch(/1 failed \| 1 passed|1 passed \| 1 failed/);
	}, 60_000);
});
