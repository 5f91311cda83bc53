/** `o365 token`: the access token on stdout, for pipes (`curl -H "Authorization: Bearer $(o365 token)"`). */

import { RESERVED_SCOPES } from "@o365/core";
import { type CommandSpec, listOption, type ParsedArgs } from "../args.js";
import { EXIT } from "../errors.js";
import type { CliIo } from "../io.js";
import { openAccount } from "../session.js";
import { CONNECTION_OPTIONS, resolveSettings } from "../settings.js";
import { signInNeeded } from "../sign-in-needed.js";
import { openTokenStore } from "../token-store.js";
import { readScopes, shortScope } from "./scopes.js";

export const tokenCommand: CommandSpec = {
	name: "token",
	summary: "Print an access token for Microsoft Graph on stdout (refreshed when needed; never prompts)",
	usage: "token [--scope SCOPE…] [--json] [options]",
	details: [
		"Exits 4 when a sign-in is needed (nobody signed in, the sign-in expired or was revoked, or a --scope was not granted): run `o365 login` then.",
		"--json prints { accessToken, tokenType, expiresOn (ISO-8601 UTC), expires_on (epoch seconds), tenant, scopes }.",
	],
	options: {
		scope: {
			type: "string",
			multiple: true,
			value: "SCOPE",
			description: "A permission the token must carry, e.g. Mail.Read; exit 4 when it was not granted",
		},
		json: { type: "boolean", description: "Print the token and its expiry, tenant and scopes as JSON" },
		...CONNECTION_OPTIONS,
	},
	positionals: { min: 0, max: 0, names: "" },
	examples: [
		"o365 token",
		'curl -H "Authorization: Bearer $(o365 token)" https://graph.microsoft.com/v1.0/me',
		"o365 token --json",
	],
};

export async function runToken({ values }: ParsedArgs, io: CliIo): Promise<number> {
	const settings = await resolveSettings(values, io);
	const store = await openTokenStore(settings.configDir, settings.profileName, io.env);
	const account = await openAccount(settings, store, { signal: io.signal });
	if (!(await account.isAuthenticated())) {
		throw signInNeeded(settings, `profile '${settings.profileName}' has no stored sign-in`);
	}
	const username = account.username;
	const granted = store.backend.getTokenScopes({ username, removeReserved: true }) ?? [];
	// openid, profile, offline_access: always part of a sign-in, never listed as granted.
	const reserved = new Set([...RESERVED_SCOPES].map(shortScope));
	const requested = readScopes(listOption(values, "scope")).filter(
		(scope) => !reserved.has(shortScope(scope)),
	);
	const grantedShort = new Set(granted.map(shortScope));
	const missing = requested.filter((scope) => !grantedShort.has(shortScope(scope)));
	if (missing.length > 0) {
		throw signInNeeded(settings, `the sign-in was not granted ${missing.join(", ")}`, [
			...new Set([...granted.map((scope) => scope.replace(/^https?:\/\/[^/]+\//, "")), ...missing]),
		]);
	}
	const accessToken = await account.con.getAccessToken({ signal: io.signal });
	if (values.json !== true) {
		io.stdout.write(`${accessToken}\n`);
		return EXIT.ok;
	}
	const stored = store.backend.getAccessToken({ username });
	const expiresOnSeconds =
		stored?.secret === accessToken ? Number(stored.expires_on) : jwtExpiry(accessToken);
	const stillGranted = store.backend.getTokenScopes({ username, removeReserved: true }) ?? granted;
	const result = {
		accessToken,
		tokenType: "Bearer",
		expiresOn: Number.isFinite(expiresOnSeconds) ? new Date(expiresOnSeconds * 1000).toISOString() : null,
		expires_on: Number.isFinite(expiresOnSeconds) ? expiresOnSeconds : null,
		tenant: store.backend.getAccount({ ...(username === undefined ? {} : { username }) })?.realm ?? null,
		scopes: stillGranted,
	};
	io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
	return EXIT.ok;
}

/** The `exp` claim of a JWT access token (Graph's are JWTs); NaN for an opaque token. */
function jwtExpiry(token: string): number {
	try {
		const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
			exp?: unknown;
		};
		return typeof payload.exp === "number" ? payload.exp : Number.NaN;
	} catch {
		return Number.NaN;
	}
}
