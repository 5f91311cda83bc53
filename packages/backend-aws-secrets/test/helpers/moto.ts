import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const MOTO_SCRIPT = fileURLToPath(new URL("../../../../.ci/moto", import.meta.url));

/** Starts a moto server with .ci/moto (on `port`, or a free one); throws, naming moto, if it cannot. */
export function startMoto(
	port?: number,
	env: Record<string, string> = {},
): { endpoint: string; dir: string } {
	let output: string;
	try {
		output = execFileSync(MOTO_SCRIPT, port === undefined ? ["start"] : ["start", String(port)], {
			encoding: "utf8",
			stdio: ["ignore", "pipe", "pipe"],
			env: { ...process.env, ...env },
		});
	} catch (error) {
		const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
		throw new Error(
			`The AWS Secrets Manager tests need moto, and starting it with .ci/moto failed:\n${stderr}\n` +
				"Run .ci/moto start as root once (it installs moto's Python dependencies with apt-get), " +
				"or set O365_TEST_MOTO_ENDPOINT=http://127.0.0.1:<port> to a moto server you run.",
			{ cause: error },
		);
	}
	const endpoint = /O365_TEST_MOTO_ENDPOINT=(\S+)/.exec(output)?.[1];
	const dir = /O365_TEST_MOTO_DIR=(\S+)/.exec(output)?.[1];
	if (endpoint === undefined || dir === undefined)
		throw new Error(`.ci/moto start printed no endpoint:\n${output}`);
	return { endpoint, dir };
}

export function stopMoto(dir: string): void {
	execFileSync(MOTO_SCRIPT, ["stop", dir], { stdio: "ignore" });
}
