import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A fixture running in its own Node process, spoken to line by line over stdin/stdout. */
export class FixtureProcess {
	readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
	/** Every stdout line received so far. */
	readonly lines: string[] = [];
	stderr = "";
	/** Settles once the process has exited and its output is drained. */
	readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** Settles once the process has exited (and been reaped: its pid is gone). */
	readonly exited: Promise<void>;
	#waiters: { test: (line: string, index: number) => boolean; resolve: (line: string) => void }[] = [];
	#partial = "";

	constructor(fixture: string, args: string[]) {
		const file = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
		this.child = spawn(process.execPath, ["--conditions=@o365/source", "--import", "tsx", file, ...args], {
			cwd: PACKAGE_ROOT,
			stdio: ["pipe", "pipe", "pipe"],
		});
		this.child.stdout.on("data", (chunk: Buffer) => this.#onData(chunk.toString()));
		this.child.stderr.on("data", (chunk: Buffer) => {
			this.stderr += chunk.toString();
		});
		// A child killed while we write to it must not fail the test with EPIPE.
		this.child.stdin.on("error", () => undefined);
		this.exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
		this.closed = new Promise((resolve, reject) => {
			this.child.once("error", reject);
			this.child.once("close", (code, signal) => {
				for (const waiter of this.#waiters.splice(0)) waiter.resolve(`<closed: ${this.stderr.trim()}>`);
				resolve({ code, signal });
			});
		});
	}

	get pid(): number {
		const { pid } = this.child;
		if (pid === undefined) throw new TypeError("the fixture process did not start");
		return pid;
	}

	/** The first line (already received or still to come) that passes `test`. */
	waitForLine(test: (line: string, index: number) => boolean): Promise<string> {
		const seen = this.lines.find(test);
		if (seen !== undefined) return Promise.resolve(seen);
		return new Promise((resolve) => this.#waiters.push({ test, resolve }));
	}

	send(line: string): void {
		this.child.stdin.write(`${line}\n`);
	}

	/** Sends a command and resolves its answer: the next line the process prints. */
	request(command: string): Promise<string> {
		const index = this.lines.length;
		this.send(command);
		return this.waitForLine((_, at) => at >= index);
	}

	/** Kills the process with `signal` and waits until it is gone. */
	async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
		this.child.kill(signal);
		await this.exited;
	}

	#onData(text: string): void {
		const parts = (this.#partial + text).split("\n");
		this.#partial = parts.pop() ?? "";
		for (const line of parts) {
			const index = this.lines.push(line) - 1;
			const waiters = this.#waiters;
			this.#waiters = [];
			for (const waiter of waiters) {
				if (waiter.test(line, index)) waiter.resolve(line);
				else this.#waiters.push(waiter);
			}
		}
	}
}

const running = new Set<FixtureProcess>();

/** Starts a fixture and waits for its "ready" line; it is killed after the test if still running. */
export async function startFixture(fixture: string, ...args: string[]): Promise<FixtureProcess> {
	const process = new FixtureProcess(fixture, args);
	running.add(process);
	void process.closed.then(() => running.delete(process));
	const first = await process.waitForLine(() => true);
	if (first !== "ready")
		throw new TypeError(`the fixture ${fixture} did not start: ${first} ${process.stderr}`);
	return process;
}

afterEach(async () => {
	await Promise.all([...running].map((fixture) => fixture.kill()));
});
