import { statSync } from "node:fs";
import path from "node:path";
import { ConfigurationError } from "@o365/core";

/** python-o365's default token file name. */
const DEFAULT_TOKEN_FILENAME = "o365_token.txt";

/**
 * python-o365's rule for where the token lives: if `tokenPath` is an existing file, that file;
 * otherwise `tokenPath` is a folder and the file is `tokenFilename` inside it.
 *
 * Kept from python-o365 on purpose: a path that does not exist yet is always a folder, even when
 * it looks like a file, so `tokenPath: "new/token.json"` gives `new/token.json/o365_token.txt`.
 * To name a new file, pass its folder as `tokenPath` and its name as `tokenFilename`.
 *
 * @returns the absolute path of the token file.
 */
export function resolveTokenFile(tokenPath: unknown, tokenFilename: unknown): string {
	if (tokenPath !== undefined) assertNonEmptyString("tokenPath", tokenPath, "a folder or an existing file");
	if (tokenFilename !== undefined) {
		assertNonEmptyString("tokenFilename", tokenFilename, "a file name");
		if (/[/\\]/.test(tokenFilename) || tokenFilename === "." || tokenFilename === "..") {
			throw new ConfigurationError(
				"backend_invalid_config",
				`tokenFilename "${tokenFilename}" must be a plain file name; put the folder part in tokenPath instead.`,
			);
		}
	}
	const base = path.resolve(tokenPath ?? process.cwd());
	if (isExistingFile(base)) return base;
	return path.join(base, tokenFilename ?? DEFAULT_TOKEN_FILENAME);
}

function assertNonEmptyString(option: string, value: unknown, what: string): asserts value is string {
	if (typeof value !== "string" || value.trim() === "" || value.includes("\0")) {
		throw new ConfigurationError(
			"backend_invalid_config",
			`${option} must be a non-empty string naming ${what}; leave it out to use the default.`,
		);
	}
}

function isExistingFile(candidate: string): boolean {
	// Synchronous because python-o365 decides in the constructor; it is one stat, once. Like
	// python's is_file(), an unusable path (ENOTDIR, EACCES…) is "not a file": saving there then
	// fails with a backend_io error that names the cause, instead of the constructor throwing.
	try {
		return statSync(candidate, { throwIfNoEntry: false })?.isFile() ?? false;
	} catch {
		return false;
	}
}
