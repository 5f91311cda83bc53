import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { ALICE, cacheJson, tempDir } from "./helpers.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/token-child.ts", import.meta.url));
const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Runs the fixture in a new Node process and resolves once it has exited. */
function runChild(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@o365/source", FIXTURE, ...args], {
		cwd: PACKAGE_ROOT,
		stdio: ["ignore", "pipe", "pipe"],
	});
	let stdout = "";
	let stderr = "";
	child.stdout.on("data", (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr.on("data", (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	return new Promise((resolve, reject) => {
		child.on("error", reject);
		// "close" rather than "exit": it also waits for the output streams to be drained.
		child.on("close", (code) => resolve({ code, stdout, stderr }));
	});
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
