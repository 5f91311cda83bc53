/**
 * Profiles: several app registrations and tenants side by side (`--app NAME`), kept in
 * `<config folder>/config.json`. A profile holds no secret: a client id, a tenant, endpoints.
 */

import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { type CloudName, ConfigurationError } from "@o365/core";
import { ensurePrivateDir } from "./config-dir.js";
import { UsageError } from "./errors.js";

/** One saved app registration and where it signs in. */
export interface Profile {
	/** Application (client) id. */
	clientId?: string;
	/** Directory (tenant) id or domain. */
	tenantId?: string;
	cloud?: CloudName;
	/** Identity platform host, e.g. `https://login.microsoftonline.us` or a local test kit. */
	authorityHost?: string;
	/** Graph base URL before the version, e.g. `https://graph.microsoft.com/`. */
	graphUrl?: string;
}

export interface ConfigFile {
	profiles: Record<string, Profile>;
}

export const DEFAULT_PROFILE = "default";
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Refuses a profile name that could not be a file name (it names the token file). */
export function checkProfileName(name: string): string {
	if (!PROFILE_NAME.test(name)) {
		throw new UsageError(
			`invalid profile name '${name.slice(0, 80)}': use 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
		);
	}
	return name;
}

export function configFile(dir: string): string {
	return path.join(dir, "config.json");
}

export async function readConfig(dir: string): Promise<ConfigFile> {
	let text: string;
	try {
		text = await readFile(configFile(dir), "utf8");
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return { profiles: {} };
		throw error;
	}
	try {
		const parsed = JSON.parse(text) as Partial<ConfigFile>;
		if (typeof parsed !== "object" || parsed === null || typeof parsed.profiles !== "object")
			throw new Error();
		return { profiles: { ...parsed.profiles } };
	} catch {
		throw new ConfigurationError(
			"invalid_option",
			`${configFile(dir)} is not a valid o365 config file; fix or delete it, then run \`o365 login\` again`,
		);
	}
}

/** Saves one profile (replacing it), atomically and 0600. */
export async function saveProfile(dir: string, name: string, profile: Profile): Promise<void> {
	await ensurePrivateDir(dir);
	const config = await readConfig(dir);
	config.profiles[name] = profile;
	const target = configFile(dir);
	const temporary = `${target}.${process.pid}.tmp`;
	await writeFile(temporary, `${JSON.stringify(config, null, "\t")}\n`, { mode: 0o600 });
	await rename(temporary, target);
}
