/** `o365 whoami`: who is signed in, where the tokens are, and whether they are encrypted. */

import type { CommandSpec, ParsedArgs } from "../args.js";
import { EXIT } from "../errors.js";
import type { CliIo } from "../io.js";
import { readConfig } from "../profiles.js";
import { appFlag, CONNECTION_OPTIONS, resolveSettings } from "../settings.js";
import { openTokenStore } from "../token-store.js";

export const whoamiCommand: CommandSpec = {
	name: "whoami",
	summary: "Show the signed-in account(s), tenant, granted scopes, and where and how tokens are stored",
	usage: "whoami [--json] [options]",
	details: ["Reads only the local token file (no network). Exits 4 when nobody is signed in."],
	options: {
		json: { type: "boolean", description: "Print the same facts as JSON" },
		...CONNECTION_OPTIONS,
	},
	positionals: { min: 0, max: 0, names: "" },
};

export async function runWhoami({ values }: ParsedArgs, io: CliIo): Promise<number> {
	const settings = await resolveSettings(values, io);
	const store = await openTokenStore(settings.configDir, settings.profileName, io.env);
	const { backend } = store;
	await backend.loadToken();
	const accounts = backend
		.getAllAccounts()
		.filter(({ username }) => backend.tokenIsLongLived({ username }) || !backend.tokenIsExpired({ username }))
		.map(({ username, realm }) => ({
			username,
			tenant: realm,
			scopes: backend.getTokenScopes({ username, removeReserved: true }) ?? [],
		}));
	const encrypted = store.keySource !== undefined;
	const profiles = Object.keys((await readConfig(settings.configDir)).profiles);
	const facts = {
		profile: settings.profileName,
		clientId: settings.profile.clientId ?? null,
		tenant: settings.profile.tenantId ?? null,
		accounts,
		tokenFile: store.tokenFile,
		encrypted,
		profiles,
	};
	if (values.json === true) {
		io.stdout.write(`${JSON.stringify(facts, null, 2)}\n`);
	} else {
		const lines = [
			`Profile:   ${settings.profileName}${profiles.length > 1 ? ` (profiles: ${profiles.join(", ")})` : ""}`,
			`Client id: ${facts.clientId ?? "(none)"}`,
			`Tenant:    ${facts.tenant ?? "(none)"}`,
		];
		for (const account of accounts) {
			lines.push(`Signed in: ${account.username} (tenant ${account.tenant ?? "unknown"})`);
			lines.push(`  Scopes:  ${account.scopes.join(" ") || "(none)"}`);
		}
		if (accounts.length === 0) lines.push("Signed in: nobody");
		lines.push(
			`Tokens:    ${store.tokenFile} (${encrypted ? `encrypted, AES-256-GCM, key from ${store.keySource}` : "NOT ENCRYPTED"})`,
		);
		io.stdout.write(`${lines.join("\n")}\n`);
	}
	if (!encrypted) {
		io.stderr.write(
			"o365: warning: tokens are stored unencrypted (file mode 0600 only); set O365_TOKEN_KEY or O365_TOKEN_KEY_FILE to a key to encrypt them\n",
		);
	}
	if (accounts.length > 0) return EXIT.ok;
	io.stderr.write(
		`o365: nobody is signed in to profile '${settings.profileName}'; run \`o365 login${appFlag(settings)}\` (sign_in_required)\n`,
	);
	return EXIT.signInNeeded;
}
