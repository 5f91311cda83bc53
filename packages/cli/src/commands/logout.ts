/** `o365 logout [--all]`: deletes the stored tokens (the profile's settings stay, for the next login). */

import { readdir } from "node:fs/promises";
import type { CommandSpec, ParsedArgs } from "../args.js";
import { EXIT } from "../errors.js";
import type { CliIo } from "../io.js";
import { readConfig } from "../profiles.js";
import { CONNECTION_OPTIONS, resolveSettings } from "../settings.js";
import { openTokenStore, tokensDir } from "../token-store.js";

export const logoutCommand: CommandSpec = {
	name: "logout",
	summary: "Delete the stored tokens of the profile (or of every profile with --all)",
	usage: "logout [--all] [options]",
	details: [
		"Profile settings (client id, tenant, endpoints) are kept, so `o365 login` signs in again without them.",
	],
	options: {
		all: { type: "boolean", description: "Delete the tokens of every profile" },
		...CONNECTION_OPTIONS,
	},
	positionals: { min: 0, max: 0, names: "" },
};

export async function runLogout({ values }: ParsedArgs, io: CliIo): Promise<number> {
	const settings = await resolveSettings(values, io);
	const names = new Set([settings.profileName]);
	if (values.all === true) {
		for (const name of Object.keys((await readConfig(settings.configDir)).profiles)) names.add(name);
		for (const file of await readdir(tokensDir(settings.configDir)).catch(() => [] as string[])) {
			if (file.endsWith(".json")) names.add(file.slice(0, -".json".length));
		}
	}
	for (const name of names) {
		// Deleting needs no key: the env is given without one so a missing key file cannot block a logout.
		const store = await openTokenStore(settings.configDir, name, {});
		const deleted = await store.backend.deleteToken();
		io.stderr.write(
			deleted ? `Signed out of profile '${name}'.\n` : `Profile '${name}' had no stored tokens.\n`,
		);
	}
	return EXIT.ok;
}
