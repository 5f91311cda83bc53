import { mkdtempSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { testTokenBackend } from "@o365/backend-test-suite";
import { afterAll } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "o365-backend-fs-conformance-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

testTokenBackend({
	name: "fs",
	create: () => new FileSystemTokenBackend({ tokenPath: dir }),
	reset: async () => {
		await rm(dir, { recursive: true, force: true });
		await mkdir(dir, { mode: 0o700 });
	},
	badConfigurations: [
		{
			name: "a tokenFilename with a folder in it",
			build: () => new FileSystemTokenBackend({ tokenPath: dir, tokenFilename: "a/b" }),
		},
		{ name: "an empty tokenPath", build: () => new FileSystemTokenBackend({ tokenPath: "" }) },
	],
});
