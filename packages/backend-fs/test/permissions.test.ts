import { chmod, mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { ALICE, cacheJson, tempDir } from "./helpers.js";

async function modeOf(file: string): Promise<number> {
	return (await stat(file)).mode & 0o777;
}

async function save(tokenPath: string): Promise<FileSystemTokenBackend> {
	const backend = new FileSystemTokenBackend({ tokenPath });
	backend.deserialize(cacheJson(ALICE), { changed: true });
	await backend.saveToken();
	return backend;
}

describe("file and folder permissions", () => {
	let previousUmask: number;
	beforeEach(() => {
		previousUmask = process.umask();
	});
	afterEach(() => {
		process.umask(previousUmask);
	});

	it.each([0o022, 0o000, 0o077, 0o277])(
		"writes a 0600 file and 0700 folders under umask %o",
		async (umask) => {
			process.umask(umask);
			const dir = await tempDir();
			const backend = await save(path.join(dir, "config", "o365"));
			expect(await modeOf(backend.tokenFile)).toBe(0o600);
			expect(await modeOf(path.join(dir, "config", "o365"))).toBe(0o700);
			expect(await modeOf(path.join(dir, "config"))).toBe(0o700);
		},
	);

	it("leaves the mode of folders that already existed alone", async () => {
		process.umask(0o022);
		const dir = await tempDir();
		const shared = path.join(dir, "shared");
		await mkdir(shared);
		await chmod(shared, 0o755);
		const backend = await save(shared);
		expect(await modeOf(shared)).toBe(0o755);
		expect(await modeOf(backend.tokenFile)).toBe(0o600);
	});

	it("replaces a world-readable 0644 token file with a 0600 one", async () => {
		process.umask(0o022);
		const dir = await tempDir();
		const file = path.join(dir, "o365_token.txt");
		await writeFile(file, cacheJson(ALICE), { mode: 0o644 });
		await chmod(file, 0o644);
		const backend = new FileSystemTokenBackend({ tokenPath: file });
		await backend.loadToken();
		await backend.saveToken({ force: true });
		expect(await modeOf(file)).toBe(0o600);
	});
});
