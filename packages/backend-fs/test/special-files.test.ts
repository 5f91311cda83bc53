import { execFileSync } from "node:child_process";
import { lstat, readdir, stat, symlink, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigurationError, TokenBackendError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { ALICE, cacheJson, tempDir } from "./helpers.js";

const MiB = 1024 * 1024;

async function rejection(promise: Promise<unknown>): Promise<TokenBackendError> {
	const error = await promise.then(
		() => undefined,
		(reason: unknown) => reason,
	);
	expect(error).toBeInstanceOf(TokenBackendError);
	return error as TokenBackendError;
}

describe.skipIf(process.platform === "win32")("a token path that is not a regular file", () => {
	it("a FIFO is refused at once on load and on save, and left where it is", { timeout: 5_000 }, async () => {
		const dir = await tempDir();
		const fifo = path.join(dir, "o365_token.txt");
		execFileSync("mkfifo", [fifo]);
		const backend = new FileSystemTokenBackend({ tokenPath: dir });

		const loadError = await rejection(backend.loadToken());
		expect(loadError).toMatchObject({ code: "backend_invalid_config", backend: "fs" });
		expect(loadError.message).toContain(`${fifo} is a FIFO`);
		backend.deserialize(cacheJson(ALICE), { changed: true });
		await expect(backend.saveToken()).rejects.toMatchObject({ code: "backend_invalid_config" });
		await expect(backend.write(cacheJson(ALICE))).rejects.toMatchObject({ code: "backend_invalid_config" });
		await expect(backend.deleteToken()).rejects.toMatchObject({ code: "backend_invalid_config" });

		expect((await lstat(fifo)).isFIFO()).toBe(true);
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);
	});

	it("a link to /dev/zero is refused, followed or not, without reading it", { timeout: 5_000 }, async () => {
		const dir = await tempDir();
		const link = path.join(dir, "o365_token.txt");
		await symlink("/dev/zero", link);

		const followed = await rejection(
			new FileSystemTokenBackend({ tokenPath: dir, followSymlinks: true }).loadToken(),
		);
		expect(followed).toMatchObject({ code: "backend_invalid_config" });
		expect(followed.message).toContain(`${link} is a device`);
		const refused = await rejection(new FileSystemTokenBackend({ tokenPath: dir }).loadToken());
		expect(refused.message).toContain("is a symbolic link");
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);
		expect((await lstat(link)).isSymbolicLink()).toBe(true);
	});

	it("a file larger than the 10 MiB default is refused without being read, and not moved aside", async () => {
		const dir = await tempDir();
		const file = path.join(dir, "o365_token.txt");
		await writeFile(file, "");
		await truncate(file, 10 * MiB + 1); // sparse: costs no disk
		const backend = new FileSystemTokenBackend({ tokenPath: dir });

		const error = await rejection(backend.loadToken());
		expect(error).toMatchObject({ code: "backend_invalid_config" });
		expect(error.message).toContain("maxFileBytes (10485760 bytes)");
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);
		expect((await stat(file)).size).toBe(10 * MiB + 1);
	});

	it("maxFileBytes sets the limit: a file of exactly that size is read, one byte more is refused", async () => {
		const dir = await tempDir();
		const file = path.join(dir, "o365_token.txt");
		const json = cacheJson(ALICE);
		const size = Buffer.byteLength(json);
		await writeFile(file, json);
		expect(await new FileSystemTokenBackend({ tokenPath: dir, maxFileBytes: size }).loadToken()).toBe(true);
		const error = await rejection(
			new FileSystemTokenBackend({ tokenPath: dir, maxFileBytes: size - 1 }).loadToken(),
		);
		expect(error.message).toContain(`maxFileBytes (${size - 1} bytes)`);
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);
	});

	it.each([
		["maxFileBytes 0", { maxFileBytes: 0 }],
		["a negative maxFileBytes", { maxFileBytes: -1 }],
		["a fractional maxFileBytes", { maxFileBytes: 1.5 }],
		["maxFileBytes NaN", { maxFileBytes: Number.NaN }],
		["maxFileBytes as a string", { maxFileBytes: "10" }],
		["followSymlinks as a string", { followSymlinks: "yes" }],
	])("rejects %s with backend_invalid_config", (_, options) => {
		const construct = () => new FileSystemTokenBackend(options as never);
		expect(construct).toThrow(ConfigurationError);
		try {
			construct();
		} catch (error) {
			expect((error as ConfigurationError).code).toBe("backend_invalid_config");
		}
	});
});
