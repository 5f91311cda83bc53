/**
 * Runs an example's `start` command (`src/main.ts`) in a child process, guarded by the egress guard, and
 * waits for it to print the URL it listens on.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { EXAMPLE_COMMAND } from "@o365/example-support/test";

export interface StartedExample {
	url: string;
	/** Everything printed so far. */
	output(): string;
	/** SIGTERM, then resolves with the exit code. */
	stop(): Promise<number | null>;
}

export async function startExample(cwd: string, env: NodeJS.ProcessEnv): Promise<StartedExample> {
	const [command = process.execPath, ...args] = EXAMPLE_COMMAND;
	const child: ChildProcess = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
	let output = "";
	const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
	const url = await new Promise<string>((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			output += chunk.toString("utf8");
			const found = /listening on (http:\/\/localhost:\d+)/.exec(output)?.[1];
			if (found !== undefined) resolve(found);
		};
		child.stdout?.on("data", onData);
		child.stderr?.on("data", onData);
		exited.then(([code]) =>
			reject(new Error(`the example exited (code ${code}) before listening:\n${output}`)),
		);
	});
	return {
		url,
		output: () => output,
		stop: async () => {
			if (child.exitCode === null) child.kill("SIGTERM");
			return (await exited)[0];
		},
	};
}
