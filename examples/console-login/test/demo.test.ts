import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runExample } from "@o365/example-support/test";
import type { NodeRun } from "@o365/testkit";
import { afterEach, describe, expect, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

/** Runs the demo as `pnpm demo` does, in a fresh process, and collects what it prints. */
function runDemo(tokenPath: string): Promise<NodeRun> {
	return runExample(exampleDir, { O365_TOKEN_PATH: tokenPath });
}

describe("pnpm demo (console sign-in against the fake identity platform)", () => {
	let tokenPath: string;
	afterEach(async () => {
		await rm(tokenPath, { recursive: true, force: true });
	});

	it("signs in once, then silently from the stored token, also after the access token expired", async () => {
		tokenPath = await mkdtemp(join(tmpdir(), "o365-demo-"));
		const first = await runDemo(tokenPath);
		expect(first.stderr).toBe("");
		expect(first.code).toBe(0);
		expect(first.stdout).toContain("Signed in interactively as Adele Vance <adele@contoso.test>.");

		const second = await runDemo(tokenPath);
		expect(second.code).toBe(0);
		expect(second.stdout).toContain(
			"Signed in silently (from the stored token) as Adele Vance <adele@contoso.test>.",
		);

		// an hour later: the access token has expired, the refresh token (rotated) still works
		const file = join(tokenPath, "o365_token.txt");
		const cache = JSON.parse(await readFile(file, "utf8"));
		const refreshTokenBefore = Object.values(cache.RefreshToken as Record<string, { secret: string }>)[0]
			?.secret;
		for (const entry of Object.values(cache.AccessToken as Record<string, { expires_on: string }>)) {
			entry.expires_on = String(Math.floor(Date.now() / 1000) - 60);
		}
		await writeFile(file, JSON.stringify(cache));
		const third = await runDemo(tokenPath);
		expect(third.stderr).toBe("");
		expect(third.stdout).toContain("Signed in silently");
		const after = JSON.parse(await readFile(file, "utf8"));
		expect(Object.values(after.RefreshToken as Record<string, { secret: string }>)[0]?.secret).not.toBe(
			refreshTokenBefore,
		);
	});
});
