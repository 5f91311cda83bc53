/** The package version, read from package.json beside `src/` and `dist/` (both one level down). */

import { readFile } from "node:fs/promises";

export async function cliVersion(): Promise<string> {
	const manifest = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
		version?: string;
	};
	return manifest.version ?? "0.0.0";
}
