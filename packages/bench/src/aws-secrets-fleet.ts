import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { runFleet } from "@o365/integration-tests";

const SCRIPT = fileURLToPath(new URL("../../../.ci/moto", import.meta.url));

/**
 * Token requests per access-token expiry for 8 processes sharing one AWS Secrets Manager secret,
 * on O365_TEST_MOTO_ENDPOINT when set, else on a throwaway moto server from .ci/moto.
 */
export async function measureAwsSecretsFleet(): Promise<number> {
	const given = process.env.O365_TEST_MOTO_ENDPOINT;
	let endpoint = given;
	let dir: string | undefined;
	if (!given) {
		const output = execFileSync(SCRIPT, ["start"], {
			encoding: "utf8",
			stdio: ["ignore", "pipe", "inherit"],
		});
		endpoint = /O365_TEST_MOTO_ENDPOINT=(\S+)/.exec(output)?.[1];
		dir = /O365_TEST_MOTO_DIR=(\S+)/.exec(output)?.[1];
		if (endpoint === undefined || dir === undefined)
			throw new Error(`.ci/moto start printed no endpoint:\n${output}`);
	}
	try {
		const result = await runFleet({
			store: { kind: "aws-secrets", endpoint: endpoint as string, secretName: `o365-bench/${randomUUID()}` },
		});
		return result.tokenRequestsPerExpiry;
	} finally {
		if (dir !== undefined) execFileSync(SCRIPT, ["stop", dir], { stdio: "ignore" });
	}
}
