import { fileURLToPath } from "node:url";
import { type NodeRun, runTypeScript } from "@o365/testkit";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { ALICE, cacheJson, tempDir } from "./helpers.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/token-child.ts", import.meta.url));
const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Runs the fixture in a new Node process and resolves once it has exited. */
function runChild(...args: string[]): Promise<NodeRun> {
	return runTypeScript(FIXTURE, args, { cwd: PACKAGE_ROOT });
}

describe("the token survives the process", () => {
	it("a token saved by a process that has exited is loaded by another", async () => {
		const dir = await tempDir();
		const child = await runChild("save", dir, "carol@contoso.onmicrosoft.com");
		expect(child.stderr).toBe("");
		expect(child.code).toBe(0);

		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		expect(await backend.loadToken()).toBe(true);
		expect(backend.getAllAccounts().map((account) => account.username)).toEqual([
			"carol@contoso.onmicrosoft.com",
		]);
		expect(backend.tokenIsLongLived({ username: "carol@contoso.onmicrosoft.com" })).toBe(true);
	});

	it("a token saved here is loaded by a new process", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		backend.deserialize(cacheJson(ALICE), { changed: true });
		await backend.saveToken();

		const child = await runChild("load", dir);
		expect(child.stderr).toBe("");
		expect(child.code).toBe(0);
		expect(child.stdout).toBe(`${ALICE.username}\n`);
	});
});
