import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../../.ci/redis", import.meta.url));

/** O365_TEST_REDIS_URL when set, else a throwaway server from .ci/redis for this run. */
export function useRedis(): { url: string; stop(): void } {
	const given = process.env.O365_TEST_REDIS_URL;
	if (given) return { url: given, stop: () => {} };
	const output = execFileSync(SCRIPT, ["start"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
	const url = /O365_TEST_REDIS_URL=(\S+)/.exec(output)?.[1];
	const dir = /O365_TEST_REDIS_DIR=(\S+)/.exec(output)?.[1];
	if (url === undefined || dir === undefined) throw new Error(`.ci/redis start printed no URL:\n${output}`);
	return { url, stop: () => execFileSync(SCRIPT, ["stop", dir], { stdio: "ignore" }) };
}
