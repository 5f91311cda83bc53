/**
 * The `o365` command line as a function: parses `argv`, runs one command, and resolves with the
 * exit code. Results go to stdout; progress, warnings and the one-line errors to stderr.
 */

import { homedir } from "node:os";
import { O365Error } from "@o365/core";
import { type CommandSpec, formatHelp, type ParsedArgs, parseCommandArgs } from "./args.js";
import { getCommand, runGet } from "./commands/get.js";
import { loginCommand, runLogin } from "./commands/login.js";
import { logoutCommand, runLogout } from "./commands/logout.js";
import { requestCommand, runRequest } from "./commands/request.js";
import { runToken, tokenCommand } from "./commands/token.js";
import { runWhoami, whoamiCommand } from "./commands/whoami.js";
import { EXIT, errorLine, exitCodeFor, UsageError } from "./errors.js";
import type { CliIo } from "./io.js";
import { resolveSettings, type Settings } from "./settings.js";
import { toCliSignInError } from "./sign-in-needed.js";
import { cliVersion } from "./version.js";

export type { CliIo } from "./io.js";

type Runner = (args: ParsedArgs, io: CliIo) => Promise<number>;

const COMMANDS: ReadonlyArray<readonly [CommandSpec, Runner]> = [
	[loginCommand, runLogin],
	[tokenCommand, runToken],
	[whoamiCommand, runWhoami],
	[getCommand, runGet],
	[requestCommand, runRequest],
	[logoutCommand, runLogout],
];

function mainHelp(): string {
	const width = Math.max(...COMMANDS.map(([spec]) => spec.name.length));
	return [
		"o365: Microsoft 365 from the command line, with your own app registration.",
		"",
		"Usage: o365 <command> [options]",
		"",
		"Commands:",
		...COMMANDS.map(([spec]) => `  ${spec.name.padEnd(width)}  ${spec.summary}`),
		"",
		"Options:",
		"  -h, --help     Show help (also `o365 <command> --help`)",
		"  -v, --version  Print the version",
		"",
		"Exit codes: 0 ok, 1 error, 2 usage, 4 sign-in needed, 130 interrupted.",
		"Tokens are kept in the config folder ($XDG_CONFIG_HOME/o365 or ~/.config/o365; %APPDATA%\\o365 on Windows;",
		"~/Library/Application Support/o365 on macOS), encrypted when O365_TOKEN_KEY or O365_TOKEN_KEY_FILE holds a key.",
		"",
	].join("\n");
}

/**
 * Runs `o365 <argv>` and resolves with the exit code (see {@link EXIT}); never rejects: every
 * failure is one line on stderr. `io` replaces the process's streams, environment and signal.
 */
export async function run(argv: readonly string[], partialIo: Partial<CliIo> = {}): Promise<number> {
	const io: CliIo = {
		stdout: process.stdout,
		stderr: process.stderr,
		stdin: process.stdin,
		env: process.env,
		platform: process.platform,
		homedir: homedir(),
		signal: new AbortController().signal,
		...partialIo,
	};
	const [name, ...rest] = argv;
	if (name === undefined || name === "--help" || name === "-h" || name === "help") {
		const topic = name === "help" ? COMMANDS.find(([spec]) => spec.name === rest[0]) : undefined;
		io.stdout.write(topic ? formatHelp(topic[0]) : mainHelp());
		return name === undefined ? EXIT.usage : EXIT.ok;
	}
	if (name === "--version" || name === "-v") {
		io.stdout.write(`${await cliVersion()}\n`);
		return EXIT.ok;
	}
	const command = COMMANDS.find(([spec]) => spec.name === name);
	if (command === undefined) {
		io.stderr.write(
			`${errorLine(new UsageError(`unknown command '${name.slice(0, 40)}'; see \`o365 --help\``))}\n`,
		);
		return EXIT.usage;
	}
	const [spec, runner] = command;
	let settings: Settings | undefined;
	try {
		const parsed = parseCommandArgs(spec, rest);
		if (parsed.values.help === true) {
			io.stdout.write(formatHelp(spec));
			return EXIT.ok;
		}
		// Resolved here too, so that an error can name the profile's `o365 login` command.
		settings = await resolveSettings(parsed.values, io).catch(() => undefined);
		return await runner(parsed, io);
	} catch (caught) {
		const error = io.signal.aborted ? new O365Error("aborted", "interrupted", { cause: caught }) : caught;
		io.stderr.write(`${errorLine(toCliSignInError(error, settings))}\n`);
		return exitCodeFor(error);
	}
}
