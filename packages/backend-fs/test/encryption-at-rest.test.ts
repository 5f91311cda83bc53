import { readdir, readFile, writeFile } from "node:fs/promises";
import { msalCacheFixture } from "@o365/backend-test-suite";
import { AesGcmCryptographyManager, TokenBackendError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { tempDir } from "./helpers.js";

const OLD = { id: "2026-01", key: AesGcmCryptographyManager.generateKey() };
const NEW = { id: "2026-11", key: AesGcmCryptographyManager.generateKey() };

describe("encryption at rest in the token file (AesGcmCryptographyManager)", () => {
	it("writes a file nobody can read without the key, that still loads after a key rotation", async () => {
		const dir = await tempDir();
		const fixture = msalCacheFixture({ users: 2 });
		const writer = new FileSystemTokenBackend({
			tokenPath: dir,
			cryptographyManager: new AesGcmCryptographyManager({ keys: [OLD] }),
		});
		writer.deserialize(fixture.json, { changed: true });
		await writer.saveToken();

		const raw = await readFile(writer.tokenFile, "utf8");
		expect(raw).toMatch(/^o365enc:v1:2026-01:/);
		expect(() => JSON.parse(raw)).toThrow();
		for (const user of fixture.users) {
			for (const secret of [user.accessToken, user.refreshToken, user.idToken, user.username]) {
				expect(raw).not.toContain(secret);
			}
		}

		// Without the key: a typed error, and the file stays where it is (a missing key is no corruption).
		const withoutKey = new FileSystemTokenBackend({ tokenPath: dir });
		await expect(withoutKey.loadToken()).rejects.toMatchObject({ code: "backend_crypto" });
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);

		const rotated = new FileSystemTokenBackend({
			tokenPath: dir,
			cryptographyManager: new AesGcmCryptographyManager({ keys: [NEW, OLD] }),
		});
		expect(await rotated.loadToken()).toBe(true);
		expect(JSON.parse(rotated.serialize())).toEqual(fixture.document);
		await rotated.saveToken({ force: true });
		expect(await readFile(writer.tokenFile, "utf8")).toMatch(/^o365enc:v1:2026-11:/);
	});

	it("rejects a file with one flipped byte and leaves it untouched", async () => {
		const dir = await tempDir();
		const manager = new AesGcmCryptographyManager({ keys: [NEW] });
		const writer = new FileSystemTokenBackend({ tokenPath: dir, cryptographyManager: manager });
		writer.deserialize(msalCacheFixture({ users: 1 }).json, { changed: true });
		await writer.saveToken();
		const raw = await readFile(writer.tokenFile, "utf8");
		const at = Math.floor(raw.length / 2);
		const flipped = `${raw.slice(0, at)}${raw[at] === "A" ? "B" : "A"}${raw.slice(at + 1)}`;
		await writeFile(writer.tokenFile, flipped);
		const reader = new FileSystemTokenBackend({ tokenPath: dir, cryptographyManager: manager });
		const error = await reader.loadToken().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TokenBackendError);
		expect((error as TokenBackendError).code).toBe("backend_crypto");
		expect(await readFile(writer.tokenFile, "utf8")).toBe(flipped);
	});
});
