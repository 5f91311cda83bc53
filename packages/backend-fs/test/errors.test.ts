import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { TokenBackendError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { ALICE, BOB, cacheJson, secretsOf, tempDir } from "./helpers.js";

function expectNoSecrets(error: unknown): void {
	expect(error).toBeInstanceOf(TokenBackendError);
	const text = `${String(error)} ${(error as Error).stack ?? ""}`;
	for (const user of [ALICE, BOB]) {
		for (const secret of Object.values(secretsOf(user))) {
			expect(text).not.toContain(secret);
			expect(text).not.toContain(secret.slice(-12));
		}
	}
}

describe("storage errors", () => {
	it("a save into a 'folder' that is a file fails with backend_io and shows no token", async () => {
		const dir = await tempDir();
		const blocker = path.join(dir, "not-a-folder");
		await writeFile(blocker, "x");
		const backend = new FileSystemTokenBackend({ tokenPath: path.join(blocker, "sub") });
		backend.deserialize(cacheJson(ALICE, BOB), { changed: true });

		const error = await backend.saveToken().catch((reason: unknown) => reason);
		expectNoSecrets(error);
		expect(error).toMatchObject({ code: "backend_io", backend: "fs" });
		// A compare-and-set save reads the stored token first, so that is where ENOTDIR shows.
		expect((error as Error).message).toMatch(/could not (save|read) the (stored )?token: ENOTDIR/);
		// Still dirty: the caller can retry once the path is fixed.
		expect(backend.hasStateChanged).toBe(true);
	});

	it("a save whose target is a folder fails with backend_io, leaves no temp file, and shows no token", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		await mkdir(backend.tokenFile);
		await writeFile(path.join(backend.tokenFile, "keep"), "x");
		backend.deserialize(cacheJson(ALICE, BOB), { changed: true });

		const error = await backend.saveToken().catch((reason: unknown) => reason);
		expectNoSecrets(error);
		expect(error).toMatchObject({ code: "backend_io" });
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);
	});

	it("a load from a path that is a folder fails with backend_io", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		await mkdir(backend.tokenFile);
		await expect(backend.loadToken()).rejects.toMatchObject({ code: "backend_io", message: /EISDIR/ });
	});
});
