import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigurationError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { tempDir } from "./helpers.js";

describe("where the token file lives (python-o365's rules)", () => {
	it("defaults to o365_token.txt in the working directory", () => {
		const backend = new FileSystemTokenBackend();
		expect(backend.tokenFile).toBe(path.join(process.cwd(), "o365_token.txt"));
		expect(backend.name).toBe("fs");
	});

	it("uses tokenPath itself when it is an existing file, ignoring tokenFilename", async () => {
		const dir = await tempDir();
		const file = path.join(dir, "my-token.json");
		await writeFile(file, "{}");
		expect(new FileSystemTokenBackend({ tokenPath: file }).tokenFile).toBe(file);
		expect(new FileSystemTokenBackend({ tokenPath: file, tokenFilename: "other.txt" }).tokenFile).toBe(file);
	});

	it("takes an existing folder as the folder of o365_token.txt", async () => {
		const dir = await tempDir();
		expect(new FileSystemTokenBackend({ tokenPath: dir }).tokenFile).toBe(path.join(dir, "o365_token.txt"));
	});

	it("uses tokenFilename inside the folder", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir, tokenFilename: "tokens.json" });
		expect(backend.tokenFile).toBe(path.join(dir, "tokens.json"));
	});

	it("treats a path that does not exist yet as a folder, even if it looks like a file (python quirk)", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: path.join(dir, "new", "tok.json") });
		expect(backend.tokenFile).toBe(path.join(dir, "new", "tok.json", "o365_token.txt"));
	});

	it("resolves a relative tokenPath against the working directory", async () => {
		const backend = new FileSystemTokenBackend({ tokenPath: "some-folder" });
		expect(backend.tokenFile).toBe(path.join(process.cwd(), "some-folder", "o365_token.txt"));
		expect(path.isAbsolute(backend.tokenFile)).toBe(true);
	});

	it("treats an existing folder named like a file as a folder", async () => {
		const dir = await tempDir();
		const folder = path.join(dir, "token.json");
		await mkdir(folder);
		expect(new FileSystemTokenBackend({ tokenPath: folder }).tokenFile).toBe(
			path.join(folder, "o365_token.txt"),
		);
	});

	it("returns the path from toString(), like python-o365's repr", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		expect(String(backend)).toBe(path.join(dir, "o365_token.txt"));
	});

	it.each([
		["an empty tokenPath", { tokenPath: "" }, /tokenPath must be a non-empty string/],
		["a blank tokenPath", { tokenPath: "   " }, /tokenPath must be a non-empty string/],
		["a tokenPath with a NUL byte", { tokenPath: "a\0b" }, /tokenPath/],
		["a non-string tokenPath", { tokenPath: 42 }, /tokenPath must be a non-empty string/],
		["an empty tokenFilename", { tokenFilename: "" }, /tokenFilename must be a non-empty string/],
		["a non-string tokenFilename", { tokenFilename: ["a"] }, /tokenFilename must be a non-empty string/],
		["a tokenFilename with a slash", { tokenFilename: "sub/token.txt" }, /put the folder part in tokenPath/],
		[
			"a tokenFilename with a backslash",
			{ tokenFilename: "sub\\token.txt" },
			/put the folder part in tokenPath/,
		],
		["tokenFilename ..", { tokenFilename: ".." }, /plain file name/],
	])("rejects %s with backend_invalid_config", (_label, options, message) => {
		const construct = () => new FileSystemTokenBackend(options as never);
		expect(construct).toThrow(ConfigurationError);
		expect(construct).toThrow(message);
		try {
			construct();
		} catch (error) {
			expect((error as ConfigurationError).code).toBe("backend_invalid_config");
		}
	});
});
