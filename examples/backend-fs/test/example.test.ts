import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AesGcmCryptographyManager } from "@o365/core";
import { expectExampleStoresTheToken } from "@o365/example-support/test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

describe("backend-fs example", () => {
	let tokenPath: string;
	beforeEach(async () => {
		tokenPath = await mkdtemp(join(tmpdir(), "o365-example-fs-"));
	});
	afterEach(async () => {
		await rm(tokenPath, { recursive: true, force: true });
	});

	it("stores the token encrypted in a 0600 file, signs in silently from it next time, and calls Graph", async () => {
		const key = randomBytes(32).toString("base64");
		const file = join(tokenPath, "o365_token.txt");
		const crypto = new AesGcmCryptographyManager({
			keys: [{ id: "default", key }],
			associatedData: `fs:${tokenPath}`,
		});
		await expectExampleStoresTheToken({
			exampleDir,
			env: { O365_TOKEN_PATH: tokenPath, O365_TOKEN_KEYS: key },
			storedIn: `${file} (AES-256-GCM encrypted)`,
			readStored: async () => {
				const stored = await readFile(file, "utf8");
				expect(stored).not.toContain("RefreshToken"); // not readable without the key
				return crypto.decrypt(stored);
			},
		});
		expect((await stat(file)).mode & 0o777).toBe(0o600);
	});

	it("says how to encrypt when O365_TOKEN_KEYS is unset, and stores plain JSON", async () => {
		const file = join(tokenPath, "o365_token.txt");
		await expectExampleStoresTheToken({
			exampleDir,
			env: { O365_TOKEN_PATH: tokenPath },
			storedIn: `${file} (plain JSON: set O365_TOKEN_KEYS to encrypt it)`,
			readStored: () => readFile(file, "utf8"),
		});
	});
});
