import { spawn } from "node:child_process";

/** Options of {@link runNode} and {@link runTypeScript}. */
export interface RunNodeOptions {
	/** The child's working directory; `--import` specifiers are resolved from it. @default this process's */
	cwd?: string | undefined;
	/** The child's environment. @default this process's */
	env?: NodeJS.ProcessEnv | undefined;
	/** Kills the child (SIGTERM) when it aborts; the call then rejects with an `AbortError`. */
	signal?: AbortSignal | undefined;
}

/** How a child process ended, and everything it printed. */
export interface NodeRun {
	/** The exit code, or `null` when a signal ended the process. */
	code: number | null;
	/** The signal that ended the process, or `null` when it exited. */
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/**
 * Runs `node <args>` in a new process (the same Node binary as this one, stdin closed) and resolves
 * once it has ended and its output is drained, however it ended: check `code` yourself. Rejects
 * only when the process cannot be started, or on abort.
 */
export function runNode(args: readonly string[], options: RunNodeOptions = {}): Promise<NodeRun> {
	const child = spawn(process.execPath, args, {
		cwd: options.cwd,
		env: options.env,
		signal: options.signal,
		stdio: ["ignore", "pipe", "pipe"],
	});
	let stdout = "";
	let stderr = "";
	child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
		stderr += chunk;
	});
	return new Promise((resolve, reject) => {
		child.once("error", reject);
		// "close" rather than "exit": it also waits for the output streams to be drained.
		child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
	});
}

/**
 * Runs a TypeScript file with {@link runNode} as the monorepo's tests start their children:
 * `node --conditions=@o365/source --import tsx --import @o365/testkit/guard-process <script> <args>`,
 * so that `@o365/*` packages load from their sources and the egress guard (see
 * `@o365/testkit/guard-process`) is installed before the script runs. `tsx` and `@o365/testkit`
 * must resolve from `options.cwd`.
 */
export function runTypeScript(
	script: string,
	args: readonly string[] = [],
	options: RunNodeOptions = {},
): Promise<NodeRun> {
	return runNode(
		[
			"--conditions=@o365/source",
			"--import",
			"tsx",
			"--import",
			"@o365/testkit/guard-process",
			script,
			...args,
		],
		options,
	);
}
