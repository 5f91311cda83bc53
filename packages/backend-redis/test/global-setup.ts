// Runs once before the test files: starts a throwaway redis-server (.ci/redis) unless
// O365_TEST_REDIS_URL names one already.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

const REDIS_SCRIPT = fileURLToPath(new URL("../../../.ci/redis", import.meta.url));

declare module "vitest" {
	export interface ProvidedContext {
		/** The Redis server to test against; every test file uses its own key prefix there. */
		redisUrl: string;
	}
}

export default function setup(project: TestProject): () => void {
	const given = process.env.O365_TEST_REDIS_URL;
	if (given !== undefined && given !== "") {
		project.provide("redisUrl", given);
		return () => {};
	}
	let output: string;
	try {
		output = execFileSync(REDIS_SCRIPT, ["start"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
	} catch (error) {
		const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
		throw new Error(
			`The Redis tests need a server, and starting one with .ci/redis failed:\n${stderr}\n` +
				"Install redis-server (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis), " +
				"or set O365_TEST_REDIS_URL=redis://host:port to a server you run.",
			{ cause: error },
		);
	}
	const url = /O365_TEST_REDIS_URL=(\S+)/.exec(output)?.[1];
	const dir = /O365_TEST_REDIS_DIR=(\S+)/.exec(output)?.[1];
	if (url === undefined || dir === undefined) throw new Error(`.ci/redis start printed no URL:\n${output}`);
	project.provide("redisUrl", url);
	return () => {
		execFileSync(REDIS_SCRIPT, ["stop", dir], { stdio: "ignore" });
	};
}
