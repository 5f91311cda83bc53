import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach } from "vitest";

export * from "./fixtures/cache-document.js";

const created: string[] = [];

/** A fresh folder under the OS temp dir, removed after the test. */
export async function tempDir(): Promise<string> {
	const dir = await mkdtemp(path.join(os.tmpdir(), "o365-backend-fs-"));
	created.push(dir);
	return dir;
}

afterEach(async () => {
	await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
