// Runs once before the test files: starts Google's Cloud Firestore emulator (.ci/firestore)
// unless O365_TEST_FIRESTORE_HOST names one already.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

const FIRESTORE_SCRIPT = fileURLToPath(new URL("../../../.ci/firestore", import.meta.url));

declare module "vitest" {
	export interface ProvidedContext {
		/** The emulator to test against, `host:port`; every test file uses its own project id there. */
		firestoreHost: string;
	}
}

export default function setup(project: TestProject): () => void {
	const given = process.env.O365_TEST_FIRESTORE_HOST;
	if (given !== undefined && given !== "") {
		project.provide("firestoreHost", given);
		return () => {};
	}
	let output: string;
	try {
		output = execFileSync(FIRESTORE_SCRIPT, ["start"], {
			encoding: "utf8",
			stdio: ["ignore", "pipe", "pipe"],
		});
	} catch (error) {
		const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
		throw new Error(
			`The Firestore tests need Google's Cloud Firestore emulator, and starting it with .ci/firestore failed:\n${stderr}\n` +
				"Install the Debian package google-cloud-cli-firestore-emulator (or `gcloud components install cloud-firestore-emulator`) and Java, " +
				"or set O365_TEST_FIRESTORE_HOST=host:port to an emulator you run.",
			{ cause: error },
		);
	}
	const host = /O365_TEST_FIRESTORE_HOST=(\S+)/.exec(output)?.[1];
	const dir = /O365_TEST_FIRESTORE_DIR=(\S+)/.exec(output)?.[1];
	if (host === undefined || dir === undefined)
		throw new Error(`.ci/firestore start printed no host:\n${output}`);
	project.provide("firestoreHost", host);
	return () => {
		execFileSync(FIRESTORE_SCRIPT, ["stop", dir], { stdio: "ignore" });
	};
}
