/** What a command reads and writes, passed in so that the whole CLI runs as a function too. */
export interface CliIo {
	/** Results only (a token, JSON). @default process.stdout */
	stdout: NodeJS.WritableStream & { isTTY?: boolean };
	/** Progress, warnings and errors; `isTTY` turns the `get --all` progress line on. @default process.stderr */
	stderr: NodeJS.WritableStream & { isTTY?: boolean };
	/** Read by `request --body @-`. @default process.stdin */
	stdin: NodeJS.ReadableStream;
	/** O365_* variables, XDG_CONFIG_HOME, APPDATA, CI, SSH_*, DISPLAY… @default process.env */
	env: Readonly<Record<string, string | undefined>>;
	/** Picks the config folder and the sign-in method. @default process.platform */
	platform: NodeJS.Platform;
	/** The home folder the config folder defaults under. @default os.homedir() */
	homedir: string;
	/** Aborted on Ctrl+C (SIGINT): every wait ends and the command exits 130. @default never aborted */
	signal: AbortSignal;
}
