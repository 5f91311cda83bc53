/** The exit-4 error: what to run to sign in again, for this profile. */

import { AuthenticationError } from "@o365/core";
import { appFlag, type Settings } from "./settings.js";

export function signInNeeded(
	settings: Settings,
	why: string,
	scopes: readonly string[] = [],
): AuthenticationError {
	const scopeFlags = scopes.map((scope) => ` --scope ${scope}`).join("");
	return new AuthenticationError(
		"sign_in_required",
		`${why}; run \`o365 login${appFlag(settings)}${scopeFlags}\``,
	);
}

/** Core's own `sign_in_required` messages speak to library users; the CLI says which command to run. */
export function toCliSignInError(error: unknown, settings: Settings | undefined): unknown {
	if (
		settings === undefined ||
		!(error instanceof AuthenticationError) ||
		error.code !== "sign_in_required" ||
		error.message.includes("o365 login")
	) {
		return error;
	}
	return signInNeeded(
		settings,
		`the sign-in of profile '${settings.profileName}' is missing, expired or was revoked`,
	);
}
