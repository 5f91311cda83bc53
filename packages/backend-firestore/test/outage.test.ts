// An outage in the middle of a save: the emulator is stopped between the save's read and its
// conditional write. The save fails with a typed error within timeoutMs, keeps the new token in
// memory, and the next save after the server is back stores it: nothing is lost.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expectNoValueAnywhere, msalCacheFixture } from "@o365/backend-test-suite";
import { TokenBackendError } from "@o365/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FirestoreBackend } from "../src/index.js";
import { emulatorClient } from "./helpers/emulator.js";

const SCRIPT = fileURLToPath(new URL("../../../.ci/firestore", import.meta.url));

/** An emulator of this file's own, since the test stops it: `.ci/firestore start [port]`. */
function startEmulator(port?: number): { host: string; dir: string } {
	const output = execFileSync(SCRIPT, port === undefined ? ["start"] : ["start", String(port)], {
		encoding: "utf8",
		stdio: ["ignore", "pipe", "pipe"],
	});
	const host = /O365_TEST_FIRESTORE_HOST=(\S+)/.exec(output)?.[1];
	const dir = /O365_TEST_FIRESTORE_DIR=(\S+)/.exec(output)?.[1];
	if (host === undefined || dir === undefined) throw new Error(`.ci/firestore start printed:\n${output}`);
	return { host, dir };
}

function stopEmulator(dir: string): void {
	execFileSync(SCRIPT, ["stop", dir], { stdio: "ignore" });
}

let emulator: { host: string; dir: string } | undefined;
beforeAll(() => {
	emulator = startEmulator();
});
afterAll(() => {
	if (emulator !== undefined) stopEmulator(emulator.dir);
});

describe("an outage in the middle of a save", () => {
	it("fails that save with backend_io, keeps the token in memory, and the next save stores it", async () => {
		const { host } = emulator as { host: string; dir: string };
		const client = emulatorClient("o365-outage", host);
		let stopMidSave = false;
		/** Stops the server between the save's read and its conditional write. */
		class InterruptedBackend extends FirestoreBackend {
			override async writeIfVersion(value: string, expected: string | null, options = {}) {
				if (stopMidSave) {
					stopMidSave = false;
					stopEmulator((emulator as { dir: string }).dir);
				}
				return super.writeIfVersion(value, expected, options);
			}
		}
		const backend = new InterruptedBackend({ client, collection: "o365", docId: "outage", timeoutMs: 4_000 });
		const before = msalCacheFixture({ users: 1 });
		backend.deserialize(before.json, { changed: true });
		expect(await backend.saveToken()).toBe(true);

		// A refresh replaced the tokens in memory; the save of them meets the outage.
		const refreshed = msalCacheFixture({ users: 1 });
		backend.deserialize(refreshed.json, { changed: true });
		stopMidSave = true;
		const error = await backend.saveToken().catch((reason: unknown) => reason);
		expect(error).toBeInstanceOf(TokenBackendError);
		expect(error).toMatchObject({ code: "backend_io", message: /did not answer within 4000 ms/ });
		const user = refreshed.users[0];
		expectNoValueAnywhere(
			error,
			[refreshed.json, user?.refreshToken ?? "", user?.accessToken ?? ""],
			"the failed save's error",
		);
		expect(backend.hasStateChanged).toBe(true); // still to be saved
		expect(backend.getRefreshToken()?.secret).toBe(refreshed.users[0]?.refreshToken);

		// The server comes back on the same address (empty: the emulator keeps nothing).
		emulator = startEmulator(Number(host.split(":")[1]));
		expect(await backend.saveToken()).toBe(true);
		const reader = new FirestoreBackend({ client, collection: "o365", docId: "outage" });
		expect(await reader.loadToken()).toBe(true);
		expect(reader.getRefreshToken()?.secret).toBe(refreshed.users[0]?.refreshToken);
	}, 90_000);
});
