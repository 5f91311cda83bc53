import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { TokenBackendError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { ALICE, aesManager, cacheJson, secretsOf, tempDir } from "./helpers.js";

async function loadError(backend: FileSystemTokenBackend): Promise<TokenBackendError> {
	const error = await backend.loadToken().then(
		() => undefined,
		(reason: unknown) => reason,
	);
	expect(error).toBeInstanceOf(TokenBackendError);
	return error as TokenBackendError;
}

const secrets = secretsOf(ALICE);
const truncated = cacheJson(ALICE).slice(0, 1500);

describe("an unreadable token file", () => {
	it.each([
		["truncated JSON", Buffer.from(truncated)],
		["garbage bytes", Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x41, 0x42, 0xc3, 0x28, 0x7b, 0x0a])],
		["an empty file", Buffer.alloc(0)],
		["a JSON array", Buffer.from(`["${secrets.refreshToken}"]`)],
		["a JSON string", Buffer.from(`"${secrets.refreshToken}"`)],
		["an object with a non-object section", Buffer.from(`{"RefreshToken": "${secrets.refreshToken}"}`)],
	])("%s is moved aside and reported as backend_corrupt", async (_label, bytes) => {
		const dir = await tempDir();
		const file = path.join(dir, "o365_token.txt");
		await writeFile(file, bytes);
		const backend = new FileSystemTokenBackend({ tokenPath: dir });

		const error = await loadError(backend);
		expect(error.code).toBe("backend_corrupt");
		expect(error.backend).toBe("fs");

		const files = await readdir(dir);
		expect(files).not.toContain("o365_token.txt");
		const moved = files.filter((name) =>
			/^o365_token\.txt\.corrupt-\d{4}-\d\d-\d\dT\d{6}\.\d{3}Z$/.test(name),
		);
		expect(moved).toHaveLength(1);
		const movedTo = path.join(dir, moved[0]!);
		expect(await readFile(movedTo)).toEqual(bytes);
		expect(error.message).toContain(movedTo);

		for (const secret of Object.values(secrets)) expect(error.message).not.toContain(secret.slice(-20));
		if (bytes.length > 0) expect(error.message).not.toContain(bytes.toString("utf8").slice(0, 8));
		expect(backend.hasData).toBe(false);

		// The next sign-in starts clean: nothing stored, and a save works.
		expect(await backend.loadToken()).toBe(false);
		backend.deserialize(cacheJson(ALICE), { changed: true });
		await backend.saveToken();
		expect(await new FileSystemTokenBackend({ tokenPath: dir }).loadToken()).toBe(true);
	});

	it("keeps earlier quarantined files when the same file goes bad twice", async () => {
		const dir = await tempDir();
		const file = path.join(dir, "o365_token.txt");
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		await writeFile(file, "one");
		await loadError(backend);
		await writeFile(file, "two");
		await loadError(backend);
		const moved = (await readdir(dir)).filter((name) => name.includes(".corrupt-"));
		expect(moved).toHaveLength(2);
		const contents = await Promise.all(moved.map((name) => readFile(path.join(dir, name), "utf8")));
		expect(contents.sort()).toEqual(["one", "two"]);
	});

	it("quarantine() leaves a file alone that was replaced after it was read", async () => {
		const dir = await tempDir();
		const file = path.join(dir, "o365_token.txt");
		await writeFile(file, "garbage");
		const slow = new FileSystemTokenBackend({ tokenPath: dir });
		expect(await slow.read()).toBe("garbage");

		// Another writer replaces the file. (Not saveToken(): its compare-and-set reads the garbage first.)
		const other = new FileSystemTokenBackend({ tokenPath: dir });
		const good = cacheJson(ALICE);
		await other.write(good);

		expect(await slow.quarantine()).toBeUndefined();
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);
		expect(await readFile(file, "utf8")).toBe(good);
	});

	it("a python-o365 2.0 token is reported as backend_legacy_format and not moved", async () => {
		const dir = await tempDir();
		const file = path.join(dir, "o365_token.txt");
		const legacy = JSON.stringify({
			token_type: "Bearer",
			scope: ["https://graph.microsoft.com/User.Read"],
			expires_in: 3599,
			access_token: secrets.accessToken,
			refresh_token: secrets.refreshToken,
			expires_at: 1_700_000_000.5,
		});
		await writeFile(file, legacy);
		const error = await loadError(new FileSystemTokenBackend({ tokenPath: dir }));
		expect(error.code).toBe("backend_legacy_format");
		expect(error.message).not.toContain(secrets.refreshToken);
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);
		expect(await readFile(file, "utf8")).toBe(legacy);
	});

	it("a token encrypted with another key is reported as backend_crypto and left untouched", async () => {
		const dir = await tempDir();
		const writer = new FileSystemTokenBackend({ tokenPath: dir, cryptographyManager: aesManager() });
		writer.deserialize(cacheJson(ALICE), { changed: true });
		await writer.saveToken();
		const stored = await readFile(writer.tokenFile);

		const error = await loadError(
			new FileSystemTokenBackend({ tokenPath: dir, cryptographyManager: aesManager() }),
		);
		expect(error.code).toBe("backend_crypto");
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);
		expect(await readFile(writer.tokenFile)).toEqual(stored);
	});

	it("an encrypted token read without the manager is backend_corrupt, not loaded as plaintext", async () => {
		const dir = await tempDir();
		const writer = new FileSystemTokenBackend({ tokenPath: dir, cryptographyManager: aesManager() });
		writer.deserialize(cacheJson(ALICE), { changed: true });
		await writer.saveToken();
		const error = await loadError(new FileSystemTokenBackend({ tokenPath: dir }));
		expect(error.code).toBe("backend_corrupt");
	});
});
