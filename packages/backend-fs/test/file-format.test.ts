import { readFile, stat } from "node:fs/promises";
import { ConfigurationError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { pythonJsonDumps } from "../src/file-format.js";
import { FileSystemTokenBackend } from "../src/index.js";
import { ALICE, cacheJson, tempDir } from "./helpers.js";
import { pythonIndent4 } from "./python-o365.js";

describe("fileFormat: python-o365", () => {
	it("matches Python's json.dumps(indent=4) for non-ASCII, astral, control and quote characters", async () => {
		const value = {
			Account: {
				"k-é": { username: 'zoë "z" \\ \n\t\u0001\u007f 😀 €', name: "Ærøskøbing", n: 3, b: true, z: null },
			},
			Empty: {},
			List: [],
			Nested: { list: ["a", { b: "c" }] },
		};
		const text = pythonJsonDumps(value);
		expect(text).toBe(await pythonIndent4(JSON.stringify(value)));
		expect(text).toContain("\\u00eb");
		expect(text).toContain("\\ud83d\\ude00");
		expect(JSON.parse(text)).toEqual(value);
	});

	it("saves that layout, reads it back, and honours fileMode", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({
			tokenPath: dir,
			fileFormat: "python-o365",
			fileMode: 0o644,
		});
		backend.deserialize(cacheJson(ALICE), { changed: true });
		await backend.saveToken();
		const text = await readFile(backend.tokenFile, "utf8");
		expect(text).toBe(await pythonIndent4(text));
		expect(text.startsWith('{\n    "')).toBe(true);
		expect((await stat(backend.tokenFile)).mode & 0o777).toBe(0o644);

		const compact = new FileSystemTokenBackend({ tokenPath: dir });
		expect(await compact.loadToken()).toBe(true);
		expect(compact.getAccessToken({ username: ALICE.username })?.secret).toBe(ALICE.accessToken);
		compact.deserialize(compact.serialize(), { changed: true });
		await compact.saveToken();
		expect(await readFile(compact.tokenFile, "utf8")).toBe(compact.serialize());
		expect((await stat(compact.tokenFile)).mode & 0o777).toBe(0o600);
	});

	it.each([
		[{ fileFormat: "yaml" }, /fileFormat must be "json"/],
		[{ fileMode: 0o1777 }, /fileMode must be permission bits/],
		[{ fileMode: "644" }, /fileMode must be permission bits/],
	])("refuses %o with a typed error", (options, message) => {
		expect(() => new FileSystemTokenBackend(options as never)).toThrow(ConfigurationError);
		expect(() => new FileSystemTokenBackend(options as never)).toThrow(message);
	});
});
