import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { runFleet } from "@o365/integration-tests";

const SCRIPT = fileURLToPath(new URL("../../../.ci/firestore", import.meta.url));

/** O365_TEST_FIRESTORE_HOST when set, else a throwaway Cloud Firestore emulator from .ci/firestore. */
export function useFirestore(): { host: string; stop(): void } {
	const given = process.env.O365_TEST_FIRESTORE_HOST;
	if (given) return { host: given, stop: () => {} };
	const output = execFileSync(SCRIPT, ["start"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
	const host = /O365_TEST_FIRESTORE_HOST=(\S+)/.exec(output)?.[1];
	const dir = /O365_TEST_FIRESTORE_DIR=(\S+)/.exec(output)?.[1];
	if (host === undefined || dir === undefined)
		throw new Error(`.ci/firestore start printed no host:\n${output}`);
	return { host, stop: () => execFileSync(SCRIPT, ["stop", dir], { stdio: "ignore" }) };
}

/** Refresh-token grants per access-token expiry of the 8-process fleet on Firestore (goal 1). */
export async function measureFirestoreFleet(host: string): Promise<number> {
	const result = await runFleet({
		store: {
			kind: "firestore",
			host,
			projectId: `o365-bench-${randomUUID().slice(0, 8)}`,
			docId: "fleet-user",
		},
	});
	return result.tokenRequestsPerExpiry;
}
