/**
 * Where the CLI keeps its profiles and tokens: `$XDG_CONFIG_HOME/o365` when the variable is set,
 * else the platform's config folder (`~/.config/o365`; `%APPDATA%\o365` on Windows;
 * `~/Library/Application Support/o365` on macOS). Folders are 0700, files 0600.
 */

import { chmod, mkdir } from "node:fs/promises";
import path from "node:path";

/** What the folder depends on, so that tests (and Windows) can give their own. */
export interface ConfigDirInput {
	env: Readonly<Record<string, string | undefined>>;
	platform: NodeJS.Platform;
	homedir: string;
}

export function configDir({ env, platform, homedir }: ConfigDirInput): string {
	const xdg = env.XDG_CONFIG_HOME;
	if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, "o365");
	if (platform === "win32") {
		return path.join(env.APPDATA ?? path.join(homedir, "AppData", "Roaming"), "o365");
	}
	if (platform === "darwin") return path.join(homedir, "Library", "Application Support", "o365");
	return path.join(homedir, ".config", "o365");
}

/** Creates `dir` (and its parents) and makes it 0700 even when it existed with a wider mode. */
export async function ensurePrivateDir(dir: string): Promise<void> {
	await mkdir(dir, { recursive: true, mode: 0o700 });
	// Windows has no POSIX modes; its per-user %APPDATA% is private already.
	if (process.platform !== "win32") await chmod(dir, 0o700);
}
