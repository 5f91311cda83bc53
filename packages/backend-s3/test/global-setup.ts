// Runs once before the test files: starts a throwaway Ceph radosgw (.ci/radosgw) unless
// O365_TEST_S3_ENDPOINT names an S3 server already. Never skips: without a server, this fails.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

const RADOSGW_SCRIPT = fileURLToPath(new URL("../../../.ci/radosgw", import.meta.url));

/** The S3 server every test file talks to (each file makes its own bucket there). */
export interface S3Server {
	endpoint: string;
	accessKeyId: string;
	secretAccessKey: string;
	/** A KMS key id the server can encrypt with (SSE-KMS). */
	kmsKeyId: string;
}

declare module "vitest" {
	export interface ProvidedContext {
		s3Server: S3Server;
	}
}

export default function setup(project: TestProject): () => void {
	const endpoint = process.env.O365_TEST_S3_ENDPOINT;
	if (endpoint !== undefined && endpoint !== "") {
		project.provide("s3Server", {
			endpoint,
			accessKeyId: process.env.O365_TEST_S3_ACCESS_KEY ?? "o365-test",
			secretAccessKey: process.env.O365_TEST_S3_SECRET_KEY ?? "o365-test-secret",
			kmsKeyId: process.env.O365_TEST_S3_KMS_KEY_ID ?? "o365-test-key",
		});
		return () => {};
	}
	let output: string;
	try {
		output = execFileSync(RADOSGW_SCRIPT, ["start"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
	} catch (error) {
		const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
		throw new Error(
			`The S3 tests need Ceph radosgw, and starting it with .ci/radosgw failed:\n${stderr}\n` +
				"Install it (Debian/Ubuntu, as root: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw), " +
				"or set O365_TEST_S3_ENDPOINT (and O365_TEST_S3_ACCESS_KEY, O365_TEST_S3_SECRET_KEY) to an S3 server with atomic conditional writes.",
			{ cause: error },
		);
	}
	const read = (name: string) => new RegExp(`${name}=(\\S+)`).exec(output)?.[1];
	const [url, accessKeyId, secretAccessKey, kmsKeyId, dir] = [
		read("O365_TEST_S3_ENDPOINT"),
		read("O365_TEST_S3_ACCESS_KEY"),
		read("O365_TEST_S3_SECRET_KEY"),
		read("O365_TEST_S3_KMS_KEY_ID"),
		read("O365_TEST_S3_DIR"),
	];
	if (!url || !accessKeyId || !secretAccessKey || !kmsKeyId || !dir)
		throw new Error(`.ci/radosgw start printed no endpoint:\n${output}`);
	project.provide("s3Server", { endpoint: url, accessKeyId, secretAccessKey, kmsKeyId });
	return () => {
		execFileSync(RADOSGW_SCRIPT, ["stop", dir], { stdio: "ignore" });
	};
}
