import { fileURLToPath } from "node:url";
import { runNode, runTypeScript } from "@o365/testkit";
import { describe, expect, it } from "vitest";

const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHILD = fileURLToPath(new URL("./fixtures/run-node/child.ts", import.meta.url));

describe("runNode", () => {
	it("resolves with the exit code and everything the process printed", async () => {
		const run = await runNode([
			"-e",
			"process.stdout.write('out é'); process.stderr.write('err'); process.exitCode = 3",
		]);
		expect(run).toEqual({ code: 3, signal: null, stdout: "out é", stderr: "err" });
	});

	it("reports the signal that ended the process", async () => {
		const run = await runNode(["-e", "process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 10_000)"]);
		expect(run).toMatchObject({ code: null, signal: "SIGTERM" });
	});

	it("kills the process and rejects when the signal aborts", async () => {
		const controller = new AbortController();
		const running = runNode(["-e", "setTimeout(() => {}, 30_000)"], { signal: controller.signal });
		setTimeout(() => controller.abort(), 100);
		await expect(running).rejects.toMatchObject({ name: "AbortError" });
	});
});

describe("runTypeScript", () => {
	it("runs a TypeScript file with its arguments, cwd and env, behind the egress guard", async () => {
		const run = await runTypeScript(CHILD, ["5", "a", "b c"], {
			cwd: PACKAGE_ROOT,
			env: { ...process.env, RUN_NODE_TEST: "set" },
		});
		expect(run).toEqual({
			code: 5,
			signal: null,
			stdout: "args a b c\negress egress_blocked\n",
			stderr: "env set\n",
		});
	});
});
