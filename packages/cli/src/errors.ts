/**
 * How the CLI ends: exit codes (gh's convention) and the one line printed on stderr for an error.
 */

import { ConfigurationError, O365Error } from "@o365/core";

/** Exit codes: 0 ok, 1 error, 2 usage, 4 sign-in needed (as `gh`), 130 interrupted (Ctrl+C). */
export const EXIT = Object.freeze({ ok: 0, error: 1, usage: 2, signInNeeded: 4, interrupted: 130 });

/** A command line the CLI cannot run: an unknown option, a missing argument, a bad value. Exit 2. */
export class UsageError extends ConfigurationError {
	constructor(message: string) {
		super("invalid_option", message);
	}
}

/** The exit code an error ends the process with. */
export function exitCodeFor(error: unknown): number {
	if (error instanceof UsageError) return EXIT.usage;
	if (error instanceof O365Error) {
		if (error.code === "sign_in_required") return EXIT.signInNeeded;
		if (error.code === "aborted") return EXIT.interrupted;
	}
	return EXIT.error;
}

/**
 * The error as one line, `o365: <what to do> (<code>)`. Core's messages are already redacted;
 * line breaks are folded so that scripts reading stderr line by line see one line per error.
 */
export function errorLine(error: unknown): string {
	const code = error instanceof O365Error ? error.code : "internal_error";
	const message =
		error instanceof O365Error
			? error.message
			: `unexpected failure (${error instanceof Error ? error.name : typeof error}); run again with --verbose and report it`;
	return `o365: ${message.replace(/\s*\n\s*/g, " ").trim()} (${code})`;
}
