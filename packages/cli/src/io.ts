/** What a command reads and writes, passed in so that the whole CLI runs as a function too. */
export interface CliIo {
	stdout: NodeJS.WritableStream & { isTTY?: boolean };
	stderr: NodeJS.WritableStream & { isTTY?: boolean };
	stdin: NodeJS.ReadableStream;
	env: Readonly<Record<string, string | undefined>>;
	platform: NodeJS.Platform;
	homedir: string;
	/** Aborted on Ctrl+C (SIGINT): every wait ends and the command exits 130. */
	signal: AbortSignal;
}
