import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../../.ci/radosgw", import.meta.url));

/** The S3 server a bench fleet uses: where to reach it, and its credentials. */
export interface S3Server {
	endpoint: string;
	accessKeyId: string;
	secretAccessKey: string;
}

/** O365_TEST_S3_ENDPOINT when set, else a throwaway Ceph radosgw from .ci/radosgw for this run. */
export function useS3Server(): S3Server & { stop(): void } {
	const given = process.env.O365_TEST_S3_ENDPOINT;
	if (given) {
		return {
			endpoint: given,
			accessKeyId: process.env.O365_TEST_S3_ACCESS_KEY ?? "o365-test",
			secretAccessKey: process.env.O365_TEST_S3_SECRET_KEY ?? "o365-test-secret",
			stop: () => {},
		};
	}
	const output = execFileSync(SCRIPT, ["start"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
	const read = (name: string) => new RegExp(`${name}=(\\S+)`).exec(output)?.[1];
	const [endpoint, accessKeyId, secretAccessKey, dir] = [
		read("O365_TEST_S3_ENDPOINT"),
		read("O365_TEST_S3_ACCESS_KEY"),
		read("O365_TEST_S3_SECRET_KEY"),
		read("O365_TEST_S3_DIR"),
	];
	if (!endpoint || !accessKeyId || !secretAccessKey || !dir) {
		throw new Error(`.ci/radosgw start printed no endpoint:\n${output}`);
	}
	return {
		endpoint,
		accessKeyId,
		secretAccessKey,
		stop: () => execFileSync(SCRIPT, ["stop", dir], { stdio: "ignore" }),
	};
}
