/**
 * For an example's vitest `globalSetup`: the local server a backend example needs, as the
 * backend's own tests get it. When its `O365_TEST_*` variables are set (by `eval "$(.ci/x start)"`
 * or CI), that server is used; otherwise `.ci/<name> start` starts a throwaway one, stopped after.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

export type CiServerName = "postgres" | "redis" | "moto" | "firestore" | "radosgw";

/** The `export NAME=value` variables of the server, and how to stop it (a no-op for a given one). */
export interface CiServer {
	env: Record<string, string>;
	stop(): void;
}

/**
 * @param name the `.ci/` script
 * @param required the variables that must be set for an existing server to be used, e.g. O365_TEST_REDIS_URL
 */
export function startCiServer(name: CiServerName, required: readonly string[]): CiServer {
	const given = Object.fromEntries(required.map((variable) => [variable, process.env[variable] ?? ""]));
	if (Object.values(given).every((value) => value !== "")) {
		// The rest of the server's variables (e.g. S3 keys) come along when set.
		const env = Object.fromEntries(
			Object.entries(process.env).filter(
				(entry): entry is [string, string] => entry[0].startsWith("O365_TEST_") && entry[1] !== undefined,
			),
		);
		return { env, stop: () => {} };
	}
	const script = fileURLToPath(new URL(`../../../../.ci/${name}`, import.meta.url));
	let output: string;
	try {
		output = execFileSync(script, ["start"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
	} catch (error) {
		const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
		throw new Error(
			`This example's test needs the server of .ci/${name}, and starting it failed:\n${stderr}\n` +
				`Run \`eval "$(.ci/${name} start)"\` yourself to see why, or set ${required.join(", ")} to a server you run.`,
			{ cause: error },
		);
	}
	const env = Object.fromEntries(
		[...output.matchAll(/^export (O365_TEST_[A-Z0-9_]+)=(\S*)$/gm)].map((match) => [
			match[1] as string,
			(match[2] as string).replace(/^'(.*)'$/, "$1"),
		]),
	);
	const missing = required.filter((variable) => !env[variable]);
	if (missing.length > 0) throw new Error(`.ci/${name} start printed no ${missing.join(", ")}:\n${output}`);
	const dir = Object.entries(env).find(([variable]) => variable.endsWith("_DIR"))?.[1];
	return {
		env,
		stop: () => {
			execFileSync(script, ["stop", ...(dir === undefined ? [] : [dir])], { stdio: "ignore" });
		},
	};
}

declare module "vitest" {
	export interface ProvidedContext {
		/** The `O365_TEST_*` variables of the server {@link ciServerSetup} started or found. */
		ciServerEnv: Record<string, string>;
	}
}

/** A vitest `globalSetup` that provides the server's variables (`inject("ciServerEnv")`) and stops it after. */
export function ciServerSetup(
	name: CiServerName,
	required: readonly string[],
): (project: TestProject) => () => void {
	return (project) => {
		const server = startCiServer(name, required);
		project.provide("ciServerEnv", server.env);
		return server.stop;
	};
}
