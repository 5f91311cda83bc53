/**
 * Runs a command in a real pseudo-terminal, with util-linux `script` (`script -qfec "exec <cmd>" /dev/null`):
 * the child sees a TTY on stdin, stdout and stderr, as it would in a user's terminal, and what the
 * test types goes through the terminal's line discipline. Output is awaited by pattern, never by
 * sleeping.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";

export interface TerminalOptions {
	cwd: string;
	env: NodeJS.ProcessEnv;
}

export interface Terminal {
	/** Everything the terminal showed so far (stdout and stderr, as a user sees them; `\r` removed). */
	readonly output: string;
	/**
	 * Resolves with the first match of `pattern` in the output after `from` (default: anywhere).
	 * Rejects when the process ends before it appears, or after `timeoutMs` (a bound, not a pause).
	 */
	waitFor(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<RegExpExecArray>;
	/** Types a line (as pasting it and pressing Enter does). */
	typeLine(text: string): void;
	/** Resolves with the exit code once the command has ended (`script -e` passes the child's on). */
	readonly exited: Promise<number | null>;
	/**
	 * Ends `script` if it still runs; the command then gets SIGHUP as the terminal closes, as when a
	 * user closes a terminal window.
	 */
	kill(): void;
}

/** `'…'` quoting for the one shell `script -c` starts. */
function shellQuote(arg: string): string {
	return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function startInTerminal(command: readonly string[], options: TerminalOptions): Terminal {
	const child: ChildProcessWithoutNullStreams = spawn(
		"script",
		// `exec`: the command replaces the shell `script` starts ($SHELL, else sh). A dash left waiting
		// in between would die of the terminal's SIGINT itself, and `script` would pass on 130
		// however the command handled it; bash happens to exec a lone command on its own.
		["-qfec", `exec ${command.map(shellQuote).join(" ")}`, "/dev/null"],
		{ cwd: options.cwd, env: { ...options.env, TERM: "dumb" }, stdio: ["pipe", "pipe", "pipe"] },
	);
	let output = "";
	const listeners = new Set<() => void>();
	const append = (chunk: string) => {
		output += chunk.replaceAll("\r", "");
		for (const listener of listeners) listener();
	};
	child.stdout.setEncoding("utf8").on("data", append);
	child.stderr.setEncoding("utf8").on("data", append);
	let ended = false;
	const exited = new Promise<number | null>((resolve, reject) => {
		child.once("error", reject);
		child.once("close", (code) => {
			ended = true;
			for (const listener of listeners) listener();
			resolve(code);
		});
	});
	exited.catch(() => {}); // reported through waitFor and by awaiting `exited`
	return {
		get output() {
			return output;
		},
		exited,
		waitFor(pattern, { from = 0, timeoutMs = 30_000 } = {}) {
			return new Promise((resolve, reject) => {
				const check = () => {
					const match = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(output.slice(from));
					if (match) return done(() => resolve(match));
					if (ended) {
						done(() =>
							reject(new Error(`The command ended before printing ${pattern}. It printed:\n${output}`)),
						);
					}
				};
				const timer = setTimeout(
					() =>
						done(() =>
							reject(new Error(`No ${pattern} within ${timeoutMs} ms. The terminal shows:\n${output}`)),
						),
					timeoutMs,
				);
				const done = (settle: () => void) => {
					clearTimeout(timer);
					listeners.delete(check);
					settle();
				};
				listeners.add(check);
				check();
			});
		},
		typeLine(text) {
			child.stdin.write(`${text}\n`);
		},
		kill() {
			if (!ended) child.kill("SIGTERM");
		},
	};
}
