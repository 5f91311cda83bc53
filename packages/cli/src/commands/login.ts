/**
 * `o365 login`: signs in with the user's own app registration (there is no shared default app:
 * when Microsoft deleted the one CLI for Microsoft 365 relied on, every sign-in broke) and saves
 * the profile on success.
 */

import { type AuthenticateOptions, AuthenticationError, O365Error } from "@o365/core";
import { type CommandSpec, listOption, type ParsedArgs, stringOption } from "../args.js";
import { ensurePrivateDir } from "../config-dir.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { saveProfile } from "../profiles.js";
import { openAccount } from "../session.js";
import { appFlag, CONNECTION_OPTIONS, resolveSettings, type Settings } from "../settings.js";
import { chooseSignInMethod } from "../sign-in-method.js";
import { openTokenStore, tokensDir } from "../token-store.js";
import { readScopes } from "./scopes.js";

const DEFAULT_SCOPES = ["User.Read"];
const DEFAULT_TIMEOUT_SECONDS = 300;

export const loginCommand: CommandSpec = {
	name: "login",
	summary: "Sign in with your app registration and save the profile",
	usage:
		"login [--device-code | --browser | --no-browser] [--client-id ID --tenant ID | --app NAME] [--scope SCOPE…]",
	details: [
		"Opens a browser on this machine (a redirect to http://localhost); uses the device code flow instead over SSH, in CI (CI set) or without a display.",
		"On success the profile (client id, tenant, endpoints) is saved: later commands need only --app NAME, or nothing for the default profile.",
		'Needs an app registration: Entra admin center → App registrations → New registration; enable "Allow public client flows" (device code) and add the platform "Mobile and desktop applications" with redirect URI http://localhost.',
	],
	options: {
		"device-code": { type: "boolean", description: "Sign in with a code entered on another device" },
		browser: { type: "boolean", description: "Sign in in a browser on this machine, opened for you" },
		"no-browser": {
			type: "boolean",
			description: "Sign in in a browser, but print the URL instead of opening it",
		},
		scope: {
			type: "string",
			multiple: true,
			value: "SCOPE",
			description: `A permission to consent to, e.g. Mail.Read (space- or comma-separated lists too). @default ${DEFAULT_SCOPES.join(" ")}`,
		},
		timeout: {
			type: "string",
			value: "SECONDS",
			description: `Give up when the sign-in is not completed in time. @default ${DEFAULT_TIMEOUT_SECONDS}`,
		},
		...CONNECTION_OPTIONS,
	},
	positionals: { min: 0, max: 0, names: "" },
	examples: [
		"o365 login --client-id 00000000-0000-0000-0000-000000000000 --tenant contoso.onmicrosoft.com",
		"o365 login --app work --device-code --scope Mail.Read --scope Calendars.Read",
	],
};

/** Printed, exactly, when no client id is known: how to get one. */
export const REGISTER_AN_APP = [
	"o365: no client id: register an app in the Entra admin center (entra.microsoft.com) → App registrations → New registration.",
	'o365: under Authentication turn on "Allow public client flows" (device code) and add the platform "Mobile and desktop applications" with redirect URI http://localhost.',
	"o365: then run `o365 login --client-id <Application (client) id> --tenant <Directory (tenant) id>` (or set O365_CLIENT_ID and O365_TENANT_ID).",
].join("\n");

export async function runLogin({ values }: ParsedArgs, io: CliIo): Promise<number> {
	const method = chooseSignInMethod(
		{
			deviceCode: values["device-code"] === true,
			browser: values.browser === true,
			noBrowser: values["no-browser"] === true,
		},
		io.env,
		io.platform,
	);
	const timeoutSeconds = readTimeout(stringOption(values, "timeout"));
	const settings = await resolveSettings(values, io);
	if (settings.profile.clientId === undefined) {
		io.stderr.write(`${REGISTER_AN_APP}\n`);
		return EXIT.usage;
	}
	const scopes = readScopes(listOption(values, "scope"));
	await ensurePrivateDir(settings.configDir);
	await ensurePrivateDir(tokensDir(settings.configDir));
	const store = await openTokenStore(settings.configDir, settings.profileName, io.env);
	const account = await openAccount(settings, store, { signal: io.signal });
	const options: AuthenticateOptions = {
		method,
		scopes: scopes.length > 0 ? scopes : DEFAULT_SCOPES,
		signal: io.signal,
		consentTimeoutMs: timeoutSeconds * 1000,
		output: io.stderr,
		...(values["no-browser"] === true ? { openBrowser: null } : {}),
	};
	try {
		await account.authenticate(options);
	} catch (error) {
		throw explainSignInError(error, settings, timeoutSeconds);
	}
	await saveProfile(settings.configDir, settings.profileName, settings.profile);
	io.stderr.write(
		`Signed in as ${account.username ?? "(unknown user)"} (profile '${settings.profileName}').\n`,
	);
	if (store.keySource === undefined) {
		io.stderr.write(
			`o365: warning: tokens are stored unencrypted in ${store.tokenFile} (mode 0600); set O365_TOKEN_KEY or O365_TOKEN_KEY_FILE to encrypt them\n`,
		);
	}
	return EXIT.ok;
}

function readTimeout(value: string | undefined): number {
	if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
	const seconds = Number(value);
	if (!/^\d+(\.\d+)?$/.test(value) || !(seconds > 0) || seconds > 86_400) {
		throw new UsageError(
			`--timeout must be a number of seconds between 1 and 86400; got '${value.slice(0, 20)}'`,
		);
	}
	return seconds;
}

/** Core's messages speak to library users; these say which command to run. */
function explainSignInError(error: unknown, settings: Settings, timeoutSeconds: number): unknown {
	if (!(error instanceof O365Error)) return error;
	const again = `run \`o365 login${appFlag(settings)}\` again`;
	if (error.code === "consent_timeout") {
		return new AuthenticationError(
			"consent_timeout",
			`the sign-in was not completed within ${timeoutSeconds} s; ${again} (or give more time with --timeout)`,
		);
	}
	if (error.code === "authorization_denied") {
		return new AuthenticationError(
			"authorization_denied",
			`the sign-in was declined; ${again} to try once more`,
		);
	}
	return error;
}
