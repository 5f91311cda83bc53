/**
 * The token file of a profile: `<config folder>/tokens/<profile>.json` in `@o365/backend-fs`
 * (atomic 0600 writes, 0700 folders), encrypted with core's AES-GCM manager when a key is set
 * in `O365_TOKEN_KEY` (or in the file named by `O365_TOKEN_KEY_FILE`).
 */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { FileSystemTokenBackend } from "@o365/backend-fs";
import { AesGcmCryptographyManager, ConfigurationError } from "@o365/core";

export interface TokenStore {
	backend: FileSystemTokenBackend;
	tokenFile: string;
	/** Where the key came from (`O365_TOKEN_KEY` or `O365_TOKEN_KEY_FILE`), or undefined: plaintext. */
	keySource: "O365_TOKEN_KEY" | "O365_TOKEN_KEY_FILE" | undefined;
}

export function tokensDir(configDir: string): string {
	return path.join(configDir, "tokens");
}

export async function openTokenStore(
	configDir: string,
	profileName: string,
	env: Readonly<Record<string, string | undefined>>,
): Promise<TokenStore> {
	const key = await readKey(env);
	const backend = new FileSystemTokenBackend({
		tokenPath: tokensDir(configDir),
		tokenFilename: `${profileName}.json`,
		...(key === undefined
			? {}
			: {
					cryptographyManager: AesGcmCryptographyManager.fromEnv({
						variable: key.source,
						env: { [key.source]: key.text },
					}),
				}),
	});
	return { backend, tokenFile: backend.tokenFile, keySource: key?.source };
}

async function readKey(
	env: Readonly<Record<string, string | undefined>>,
): Promise<{ source: "O365_TOKEN_KEY" | "O365_TOKEN_KEY_FILE"; text: string } | undefined> {
	const inline = env.O365_TOKEN_KEY;
	if (inline !== undefined && inline.trim() !== "") return { source: "O365_TOKEN_KEY", text: inline };
	const file = env.O365_TOKEN_KEY_FILE;
	if (file === undefined || file.trim() === "") return undefined;
	try {
		return { source: "O365_TOKEN_KEY_FILE", text: (await readFile(file, "utf8")).trim() };
	} catch (error) {
		throw new ConfigurationError(
			"invalid_option",
			`cannot read the key file O365_TOKEN_KEY_FILE names (${(error as NodeJS.ErrnoException).code ?? "error"}); check the path and its permissions`,
		);
	}
}
