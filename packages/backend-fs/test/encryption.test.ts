import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { ALICE, aesManager, cacheJson, secretsOf, tempDir } from "./helpers.js";

describe("encryption through cryptographyManager", () => {
	it("stores ciphertext that a second instance with the same manager loads", async () => {
		const dir = await tempDir();
		const manager = aesManager();
		const writer = new FileSystemTokenBackend({ tokenPath: dir, cryptographyManager: manager });
		writer.deserialize(cacheJson(ALICE), { changed: true });
		await writer.saveToken();

		const stored = await readFile(writer.tokenFile, "utf8");
		expect(() => JSON.parse(stored)).toThrow();
		for (const secret of Object.values(secretsOf(ALICE))) expect(stored).not.toContain(secret);
		expect(stored).not.toContain(ALICE.username);
		expect(stored).not.toContain("RefreshToken");

		const reader = new FileSystemTokenBackend({ tokenPath: dir, cryptographyManager: manager });
		expect(await reader.loadToken()).toBe(true);
		expect(reader.getRefreshToken({ username: ALICE.username })?.secret).toBe(secretsOf(ALICE).refreshToken);
	});

	it("accepts an async manager", async () => {
		const dir = await tempDir();
		const sync = aesManager();
		const manager = {
			encrypt: async (text: string) => sync.encrypt(text),
			decrypt: async (text: string) => sync.decrypt(text),
		};
		const writer = new FileSystemTokenBackend({ tokenPath: dir, cryptographyManager: manager });
		writer.deserialize(cacheJson(ALICE), { changed: true });
		await writer.saveToken();
		const reader = new FileSystemTokenBackend({ tokenPath: dir, cryptographyManager: manager });
		expect(await reader.loadToken()).toBe(true);
		expect(reader.getAccount()?.username).toBe(ALICE.username);
	});
});
