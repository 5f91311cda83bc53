import { readFile, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { ALICE, BOB, cacheJson, secretsOf, tempDir } from "./helpers.js";

describe("saving and loading", () => {
	it("a second instance on the same path loads what the first saved", async () => {
		const dir = await tempDir();
		const writer = new FileSystemTokenBackend({ tokenPath: dir });
		writer.deserialize(cacheJson(ALICE, BOB), { changed: true });
		expect(await writer.saveToken()).toBe(true);

		const reader = new FileSystemTokenBackend({ tokenPath: dir });
		expect(await reader.checkToken()).toBe(true);
		expect(await reader.loadToken()).toBe(true);
		expect(reader.hasData).toBe(true);
		expect(reader.hasStateChanged).toBe(false);
		expect(reader.getAllAccounts().map((account) => account.username)).toEqual([
			ALICE.username,
			BOB.username,
		]);
		expect(reader.getAccessToken({ username: BOB.username })?.secret).toBe(secretsOf(BOB).accessToken);
		expect(reader.getRefreshToken({ username: ALICE.username })?.secret).toBe(secretsOf(ALICE).refreshToken);
		expect(reader.getTokenScopes({ username: ALICE.username, removeReserved: true })).toEqual([
			"https://graph.microsoft.com/Mail.Read",
			"https://graph.microsoft.com/User.Read",
		]);
		expect(reader.tokenIsLongLived({ username: BOB.username })).toBe(true);
		expect(reader.serialize()).toBe(writer.serialize());
	});

	it("reports nothing stored when the file does not exist", async () => {
		const backend = new FileSystemTokenBackend({ tokenPath: await tempDir() });
		expect(await backend.loadToken()).toBe(false);
		expect(await backend.checkToken()).toBe(false);
		expect(await backend.read()).toBeUndefined();
		expect(await backend.deleteToken()).toBe(false);
	});

	it("skips the write when nothing changed, unless forced", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		backend.deserialize(cacheJson(ALICE), { changed: true });
		await backend.saveToken();
		const before = await stat(backend.tokenFile);

		expect(await backend.saveToken()).toBe(true);
		await backend.loadToken();
		expect(await backend.saveToken()).toBe(true);
		const unchanged = await stat(backend.tokenFile);
		expect(unchanged.ino).toBe(before.ino);
		expect(unchanged.mtimeMs).toBe(before.mtimeMs);

		expect(await backend.saveToken({ force: true })).toBe(true);
		// An atomic save always puts a new file in place.
		expect((await stat(backend.tokenFile)).ino).not.toBe(before.ino);
	});

	it("does not write an empty cache", async () => {
		const backend = new FileSystemTokenBackend({ tokenPath: await tempDir() });
		expect(await backend.saveToken({ force: true })).toBe(false);
		expect(await backend.checkToken()).toBe(false);
	});

	it("deletes the stored token", async () => {
		const backend = new FileSystemTokenBackend({ tokenPath: await tempDir() });
		backend.deserialize(cacheJson(ALICE), { changed: true });
		await backend.saveToken();
		expect(await backend.deleteToken()).toBe(true);
		expect(await backend.checkToken()).toBe(false);
		expect(await backend.deleteToken()).toBe(false);
	});

	it("creates missing folders on save", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: path.join(dir, "a", "b") });
		backend.deserialize(cacheJson(ALICE), { changed: true });
		await backend.saveToken();
		expect(JSON.parse(await readFile(path.join(dir, "a", "b", "o365_token.txt"), "utf8"))).toEqual(
			JSON.parse(backend.serialize()),
		);
	});

	it("reads a file written by python-o365 (indented MSAL JSON)", async () => {
		const dir = await tempDir();
		await writeFile(path.join(dir, "o365_token.txt"), cacheJson(ALICE));
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		expect(await backend.loadToken()).toBe(true);
		expect(backend.getAccount()?.username).toBe(ALICE.username);
	});

	it("with followSymlinks, saves through a symlink and keeps the link", async () => {
		const dir = await tempDir();
		const real = path.join(dir, "real-token.json");
		await writeFile(real, cacheJson(ALICE));
		const link = path.join(dir, "o365_token.txt");
		await symlink(real, link);
		const backend = new FileSystemTokenBackend({ tokenPath: dir, followSymlinks: true });
		backend.deserialize(cacheJson(BOB), { changed: true });
		await backend.saveToken();
		expect((await stat(link)).ino).toBe((await stat(real)).ino);
		expect(await readFile(real, "utf8")).toBe(backend.serialize());
	});

	it("honours an aborted signal without touching the file", async () => {
		const backend = new FileSystemTokenBackend({ tokenPath: await tempDir() });
		backend.deserialize(cacheJson(ALICE), { changed: true });
		const signal = AbortSignal.abort();
		await expect(backend.saveToken({ signal })).rejects.toMatchObject({ name: "AbortError" });
		await expect(backend.loadToken({ signal })).rejects.toMatchObject({ name: "AbortError" });
		expect(await backend.checkToken()).toBe(false);
	});
});
