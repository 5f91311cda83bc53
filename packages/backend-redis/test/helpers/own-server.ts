import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

/**
 * A redis-server of a test's own, which the test may stop, restart (same port, same data: an
 * append-only file synced on every write) or freeze (SIGSTOP: connected, but it answers nothing).
 */
export interface OwnRedisServer {
	readonly url: string;
	stop(): Promise<void>;
	start(): Promise<void>;
	freeze(): void;
	thaw(): void;
	/** Stops the server and removes its data. */
	dispose(): Promise<void>;
}

/** Options of {@link ownRedisServer}. */
export interface OwnRedisServerOptions {
	/** Runs it as a one-node Redis Cluster that serves every hash slot (refuses cross-slot commands, as a real cluster does). */
	cluster?: boolean;
}

export async function ownRedisServer(options: OwnRedisServerOptions = {}): Promise<OwnRedisServer> {
	const dir = await mkdtemp(join(tmpdir(), "o365-redis-outage-"));
	const port = await freePort();
	let child: ChildProcess | undefined;
	const server: OwnRedisServer = {
		url: `redis://127.0.0.1:${port}`,
		async start() {
			const started = spawn(
				"redis-server",
				[
					"--port",
					String(port),
					"--bind",
					"127.0.0.1",
					"--save",
					"",
					"--dir",
					dir,
					"--appendonly",
					"yes",
					"--appendfsync",
					"always",
					...(options.cluster
						? [
								"--cluster-enabled",
								"yes",
								"--cluster-config-file",
								"nodes.conf",
								"--cluster-announce-ip",
								"127.0.0.1",
							]
						: []),
				],
				{ stdio: ["ignore", "pipe", "pipe"] },
			);
			child = started;
			await ready(started);
			if (options.cluster) await serveEverySlot(port);
		},
		async stop() {
			const running = child;
			child = undefined;
			if (running === undefined || running.exitCode !== null) return;
			running.kill("SIGCONT");
			const exited = once(running, "exit");
			running.kill("SIGTERM");
			await exited;
		},
		freeze: () => void child?.kill("SIGSTOP"),
		thaw: () => void child?.kill("SIGCONT"),
		async dispose() {
			await server.stop();
			await rm(dir, { recursive: true, force: true });
		},
	};
	await server.start();
	return server;
}

/** Resolves once the server logs that it accepts connections; rejects if it exits first. */
async function ready(child: ChildProcess): Promise<void> {
	let output = "";
	await new Promise<void>((resolve, reject) => {
		child.once("error", (error) =>
			reject(
				new Error(
					`could not run redis-server (install it: apt-get install -y redis-server): ${error.message}`,
				),
			),
		);
		child.once("exit", (code) =>
			reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)),
		);
		child.stdout?.on("data", (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes("Ready to accept connections")) resolve();
		});
	});
}

/** Gives the one node every hash slot, then waits (polling) until the cluster reports itself ok. */
async function serveEverySlot(port: number): Promise<void> {
	const admin = new Redis(port, "127.0.0.1");
	try {
		const info = () => admin.call("CLUSTER", "INFO") as Promise<string>;
		if (!(await info()).includes("cluster_state:ok")) {
			await admin.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
			for (let polls = 0; !(await info()).includes("cluster_state:ok"); polls++) {
				if (polls > 500) throw new Error("the one-node cluster never reported cluster_state:ok");
				// Not a readiness sleep: only the interval between two polls.
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
		}
	} finally {
		admin.disconnect();
	}
}

async function freePort(): Promise<number> {
	const probe = createServer();
	probe.listen(0, "127.0.0.1");
	await once(probe, "listening");
	const address = probe.address();
	probe.close();
	if (address === null || typeof address === "string") throw new Error("no TCP port");
	return address.port;
}
