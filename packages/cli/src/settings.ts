/**
 * The options every command shares (profile and endpoints) and how they resolve: a flag, else
 * its environment variable, else the saved profile.
 */

import { CLOUD_NAMES, type CloudName } from "@o365/core";
import { type OptionTable, type OptionValues, stringOption } from "./args.js";
import { configDir } from "./config-dir.js";
import { UsageError } from "./errors.js";
import type { CliIo } from "./io.js";
import { checkProfileName, DEFAULT_PROFILE, type Profile, readConfig } from "./profiles.js";

export const CONNECTION_OPTIONS: OptionTable = {
	app: {
		type: "string",
		value: "NAME",
		description: `Profile to use (env O365_APP). @default "${DEFAULT_PROFILE}"`,
	},
	"client-id": {
		type: "string",
		value: "ID",
		description: "Application (client) id of your app registration (env O365_CLIENT_ID)",
	},
	tenant: {
		type: "string",
		value: "ID",
		description: 'Directory (tenant) id or domain (env O365_TENANT_ID). @default "common"',
	},
	cloud: {
		type: "string",
		value: "NAME",
		description: `National cloud: ${CLOUD_NAMES.join(", ")} (env O365_CLOUD). @default "global"`,
	},
	"authority-host": {
		type: "string",
		value: "URL",
		description: "Identity platform host, e.g. a proxy or a local test kit (env O365_AUTHORITY_HOST)",
	},
	"graph-url": {
		type: "string",
		value: "URL",
		description: "Graph base URL before the version (env O365_GRAPH_URL). @default the cloud's Graph host",
	},
	verbose: { type: "boolean", description: "Print the request log (redacted) on stderr" },
	help: { type: "boolean", short: "h", description: "Show this help" },
};

/** Where a command runs: the profile, the config folder and the resolved sign-in settings. */
export interface Settings {
	configDir: string;
	profileName: string;
	/** The saved profile as stored. */
	saved: Profile;
	/** Flags and variables over the saved profile. */
	profile: Profile;
	verbose: boolean;
}

export async function resolveSettings(values: OptionValues, io: CliIo): Promise<Settings> {
	const dir = configDir(io);
	const profileName = checkProfileName(
		stringOption(values, "app") ?? nonEmpty(io.env.O365_APP) ?? DEFAULT_PROFILE,
	);
	const saved = (await readConfig(dir)).profiles[profileName] ?? {};
	const pick = (flag: string, variable: string, stored: string | undefined) =>
		stringOption(values, flag) ?? nonEmpty(io.env[variable]) ?? stored;
	const cloud = pick("cloud", "O365_CLOUD", saved.cloud);
	if (cloud !== undefined && !(CLOUD_NAMES as readonly string[]).includes(cloud)) {
		throw new UsageError(`unknown cloud '${cloud.slice(0, 40)}'; use one of ${CLOUD_NAMES.join(", ")}`);
	}
	const profile: Profile = dropUndefined({
		clientId: pick("client-id", "O365_CLIENT_ID", saved.clientId),
		tenantId: pick("tenant", "O365_TENANT_ID", saved.tenantId),
		cloud: cloud as CloudName | undefined,
		authorityHost: checkUrl(
			"authority-host",
			pick("authority-host", "O365_AUTHORITY_HOST", saved.authorityHost),
		),
		graphUrl: checkUrl("graph-url", pick("graph-url", "O365_GRAPH_URL", saved.graphUrl)),
	});
	return { configDir: dir, profileName, saved, profile, verbose: values.verbose === true };
}

/** The `--app NAME` to repeat in a suggested command, or nothing for the default profile. */
export function appFlag(settings: Settings): string {
	return settings.profileName === DEFAULT_PROFILE ? "" : ` --app ${settings.profileName}`;
}

function nonEmpty(value: string | undefined): string | undefined {
	return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** https anywhere; http only on loopback (a local test kit or proxy), where nothing crosses a network. */
function checkUrl(name: string, value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	const url = URL.canParse(value) ? new URL(value) : undefined;
	const loopback = url !== undefined && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
	if (url === undefined || !(url.protocol === "https:" || (url.protocol === "http:" && loopback))) {
		throw new UsageError(
			`--${name} must be an https URL (http only on 127.0.0.1 or localhost); got '${value.slice(0, 80)}'`,
		);
	}
	return value;
}

function dropUndefined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
