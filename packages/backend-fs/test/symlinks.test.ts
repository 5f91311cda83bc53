import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { TokenBackendError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { ALICE, BOB, cacheJson, secretsOf, tempDir } from "./helpers.js";

/** Someone else's file that a planted link points at: any JSON used to pass as a token cache. */
const SETTINGS = `{\n  "editor.fontSize": 14,\n  "theme": "dark"\n}\n`;

/** A token folder whose token file is a link to `settings.json` in another folder. */
async function linkedToSettings(): Promise<{
	tokenDir: string;
	link: string;
	otherDir: string;
	settings: string;
}> {
	const tokenDir = await tempDir();
	const otherDir = await tempDir();
	const settings = path.join(otherDir, "settings.json");
	await writeFile(settings, SETTINGS);
	const link = path.join(tokenDir, "o365_token.txt");
	await symlink(settings, link);
	return { tokenDir, link, otherDir, settings };
}

async function rejection(promise: Promise<unknown>): Promise<TokenBackendError> {
	const error = await promise.then(
		() => undefined,
		(reason: unknown) => reason,
	);
	expect(error).toBeInstanceOf(TokenBackendError);
	return error as TokenBackendError;
}

describe.skipIf(process.platform === "win32")("a token file that is a symbolic link", () => {
	it.each([
		["the token folder", (setup: { tokenDir: string }) => setup.tokenDir],
		["the link itself", (setup: { link: string }) => setup.link],
	])(
		"given as %s, is refused on load and on save, and its target stays byte for byte the same",
		async (_, tokenPathOf) => {
			const setup = await linkedToSettings();
			const backend = new FileSystemTokenBackend({ tokenPath: tokenPathOf(setup) });

			const loadError = await rejection(backend.loadToken());
			expect(loadError).toMatchObject({ code: "backend_invalid_config", backend: "fs" });
			expect(loadError.message).toContain(setup.link);
			expect(loadError.message).toContain("symbolic link");
			expect(loadError.message).toContain("followSymlinks: true");

			backend.deserialize(cacheJson(ALICE), { changed: true });
			const saveError = await rejection(backend.saveToken());
			expect(saveError).toMatchObject({ code: "backend_invalid_config" });
			await expect(backend.write(cacheJson(BOB))).rejects.toMatchObject({ code: "backend_invalid_config" });
			for (const secret of Object.values(secretsOf(ALICE))) expect(saveError.message).not.toContain(secret);

			expect(await readFile(setup.settings, "utf8")).toBe(SETTINGS);
			// Nothing appeared next to the target: no lock, claim or temporary file.
			expect(await readdir(setup.otherDir)).toEqual(["settings.json"]);
			// The link is still there, still a link, and nothing else was left beside it.
			expect((await lstat(setup.link)).isSymbolicLink()).toBe(true);
			expect(await readlink(setup.link)).toBe(setup.settings);
			expect(await readdir(setup.tokenDir)).toEqual(["o365_token.txt"]);
		},
	);

	it("a dangling link is refused too: a save never creates the file it points to", async () => {
		const tokenDir = await tempDir();
		const otherDir = await tempDir();
		const target = path.join(otherDir, "created-by-a-save.json");
		await symlink(target, path.join(tokenDir, "o365_token.txt"));
		const backend = new FileSystemTokenBackend({ tokenPath: tokenDir });
		backend.deserialize(cacheJson(ALICE), { changed: true });
		await expect(backend.saveToken()).rejects.toMatchObject({ code: "backend_invalid_config" });
		expect(await readdir(otherDir)).toEqual([]);
	});

	it.each([
		[
			"the lease's lock file",
			".lock",
			(backend: FileSystemTokenBackend) => backend.acquireLease({ ttlMs: 60_000, waitMs: 0 }),
		],
		[
			"the write lock file",
			".write.lock",
			(backend: FileSystemTokenBackend) => {
				backend.deserialize(cacheJson(ALICE), { changed: true });
				return backend.saveToken();
			},
		],
	])("%s as a link is refused with backend_invalid_config, its target untouched", async (_, suffix, use) => {
		const tokenDir = await tempDir();
		const otherDir = await tempDir();
		const settings = path.join(otherDir, "settings.json");
		await writeFile(settings, SETTINGS);
		const backend = new FileSystemTokenBackend({ tokenPath: tokenDir });
		await symlink(settings, `${backend.tokenFile}${suffix}`);

		const error = await rejection(use(backend));
		expect(error.code).toBe("backend_invalid_config");
		expect(error.message).toContain(`${backend.tokenFile}${suffix} is a symbolic link`);
		expect(await readFile(settings, "utf8")).toBe(SETTINGS);
		expect(await readdir(otherDir)).toEqual(["settings.json"]);
	});

	it("with followSymlinks: true, is loaded and saved through, stays a link, and its locks sit next to the target", async () => {
		const tokenDir = await tempDir();
		const otherDir = await tempDir();
		const real = path.join(otherDir, "real-token.json");
		await writeFile(real, cacheJson(ALICE));
		const link = path.join(tokenDir, "o365_token.txt");
		await symlink(real, link);
		const backend = new FileSystemTokenBackend({ tokenPath: tokenDir, followSymlinks: true });

		expect(await backend.loadToken()).toBe(true);
		expect(backend.getAccount()?.username).toBe(ALICE.username);
		backend.deserialize(cacheJson(BOB), { changed: true });
		await backend.saveToken();
		expect(await readlink(link)).toBe(real);
		expect(await readFile(real, "utf8")).toBe(backend.serialize());
		const lease = await backend.acquireLease({ ttlMs: 60_000, waitMs: 0 });
		expect((await readdir(otherDir)).sort()).toEqual(["real-token.json", "real-token.json.lock"]);
		await lease.release();
		expect(await readdir(tokenDir)).toEqual(["o365_token.txt"]);
	});

	it("a folder on the way that is a link is followed as usual (only the file itself matters)", async () => {
		const realDir = await tempDir();
		const linkDir = path.join(await tempDir(), "config");
		await symlink(realDir, linkDir);
		const backend = new FileSystemTokenBackend({ tokenPath: linkDir });
		backend.deserialize(cacheJson(ALICE), { changed: true });
		await backend.saveToken();
		expect(await new FileSystemTokenBackend({ tokenPath: realDir }).loadToken()).toBe(true);
		await mkdir(path.join(realDir, "unrelated"));
		expect((await readdir(realDir)).sort()).toEqual(["o365_token.txt", "unrelated"]);
	});
});
