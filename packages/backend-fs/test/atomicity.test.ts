import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { runTypeScript } from "@o365/testkit";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { cacheJson, tempDir, testUser } from "./helpers.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/token-child.ts", import.meta.url));
const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** ~200 KB cache documents that differ from each other everywhere, not just in one field. */
function largeValue(writer: string, index: number): string {
	const marker = `${writer}-${index}`;
	return cacheJson(testUser(`${marker}@contoso.com`, marker.repeat(200_000 / marker.length)));
}

describe("atomic saves", () => {
	// These use write(), the storage primitive, so that each call stores exactly its own value;
	// saveToken() merges concurrent saves instead (see compare-and-set.test.ts).
	it("50 concurrent writes from two instances never leave a torn file or a temp file", async () => {
		const dir = await tempDir();
		const first = new FileSystemTokenBackend({ tokenPath: dir });
		const second = new FileSystemTokenBackend({ tokenPath: dir });
		const written = new Set<string>();
		const saves: Promise<void>[] = [];
		for (let index = 0; index < 50; index++) {
			const backend = index % 2 === 0 ? first : second;
			const value = largeValue(backend === first ? "first" : "second", index);
			written.add(value);
			saves.push(backend.write(value));
		}

		// Read continuously while the writers run: every read must be one complete value.
		let reads = 0;
		let done = false;
		const reader = (async () => {
			while (!done) {
				const text = await readFile(first.tokenFile, "utf8").catch(() => undefined);
				if (text !== undefined) {
					expect(written.has(text)).toBe(true);
					reads++;
				}
				await new Promise((resolve) => setImmediate(resolve));
			}
		})();
		await Promise.all(saves);
		done = true;
		await reader;

		expect(written.has(await readFile(first.tokenFile, "utf8"))).toBe(true);
		expect(reads).toBeGreaterThan(0);
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);
	});

	it("writes from another process at the same time never tear the file either", async () => {
		const dir = await tempDir();
		const hammer = runTypeScript(FIXTURE, ["hammer", dir, "20"], { cwd: PACKAGE_ROOT });

		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		const ours: Promise<void>[] = [];
		for (let index = 0; index < 20; index++) ours.push(backend.write(largeValue("parent", index)));
		await Promise.all(ours);
		let child = await Promise.race([hammer, Promise.resolve("running" as const)]);
		// Keep checking the file until the child is done writing.
		while (child === "running") {
			const reader = new FileSystemTokenBackend({ tokenPath: dir });
			expect(await reader.loadToken()).toBe(true);
			expect(reader.getAllAccounts()).toHaveLength(1);
			child = await Promise.race([
				hammer,
				new Promise<"running">((resolve) => setImmediate(resolve, "running")),
			]);
		}
		expect(child.stderr).toBe("");
		expect(child.code).toBe(0);

		const reader = new FileSystemTokenBackend({ tokenPath: dir });
		expect(await reader.loadToken()).toBe(true);
		expect(reader.getAllAccounts()[0]?.username).toMatch(/^(parent|child)-\d+@contoso\.com$/);
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);
	});
});
