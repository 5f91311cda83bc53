// An outage in the middle of a save: the network to the emulator is cut, or the emulator is
// stopped, between the save's read and its conditional write. The save fails with a typed error
// within timeoutMs, the new token stays in memory (the caller gets it), and the next save after
// the server is back stores it: nothing is lost.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Firestore } from "@google-cloud/firestore";
import { expectNoValueAnywhere, msalCacheFixture } from "@o365/backend-test-suite";
import { Account, TokenBackendError } from "@o365/core";
import { startFakeIdentityPlatform } from "@o365/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FirestoreBackend } from "../src/index.js";
import { CuttableLink } from "./helpers/cuttable-link.js";
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

/**
 * Waits until the client reaches the emulator: a plain read, which the client retries by itself
 * (no deadline here), so that the first connection and a reconnection are not what is measured.
 */
async function serverAnswers(): Promise<void> {
	await client.collection("o365").doc("warm-up").get();
}

/** A backend that stops the emulator between a save's read and its conditional write, once asked. */
function interruptedBackend(client: Firestore, docId: string, control: { stopMidSave: boolean }) {
	class InterruptedBackend extends FirestoreBackend {
		override async writeIfVersion(value: string, expected: string | null, options = {}) {
			if (control.stopMidSave) {
				control.stopMidSave = false;
				stopEmulator((emulator as { dir: string }).dir);
			}
			return super.writeIfVersion(value, expected, options);
		}
	}
	return new InterruptedBackend({ client, collection: "o365", docId, timeoutMs: 4_000 });
}

let emulator: { host: string; dir: string } | undefined;
let client: Firestore;
beforeAll(async () => {
	emulator = startEmulator();
	client = emulatorClient("o365-outage", emulator.host, { quickReconnect: true });
	await serverAnswers();
});
afterAll(() => {
	if (emulator !== undefined) stopEmulator(emulator.dir);
});

describe("a network outage in the middle of the save that follows a refresh", () => {
	it("the caller's next getAccessToken() gets the refreshed token, and the next save stores the rotated refresh token", async () => {
		const [upstreamHost, upstreamPort] = (emulator as { host: string }).host.split(":");
		const link = new CuttableLink({ host: upstreamHost as string, port: Number(upstreamPort) });
		await link.open();
		const linked = emulatorClient("o365-outage-refresh", link.address, { quickReconnect: true });
		const app = {
			clientId: "outage-app",
			clientSecret: "outage-secret-value",
			redirectUri: "http://localhost:7070/cb",
		};
		const idp = await startFakeIdentityPlatform({
			rotateRefreshTokens: true,
			rejectRefreshTokenReuse: true,
			clients: [{ ...app, redirectUris: [app.redirectUri] }],
			users: [{ username: "outage.user@contoso.test" }],
		});
		try {
			/** Cuts the link between the save's read and its conditional write, once asked. */
			let cutMidSave = false;
			class InterruptedBackend extends FirestoreBackend {
				override async writeIfVersion(value: string, expected: string | null, options = {}) {
					if (cutMidSave) {
						cutMidSave = false;
						await link.cut();
					}
					return super.writeIfVersion(value, expected, options);
				}
			}
			const warnings: { message: string; code: unknown }[] = [];
			const backend = new InterruptedBackend({
				client: linked,
				collection: "o365",
				docId: "refresh",
				timeoutMs: 3_000,
			});
			const account = new Account([app.clientId, app.clientSecret], {
				tenantId: idp.tenantId,
				redirectUri: app.redirectUri,
				tokenBackend: backend,
				logger: { warn: (message, details) => warnings.push({ message, code: details?.code }) },
				...idp.msalConfig(),
			});
			const { url, flow } = await account.getAuthorizationUrl(["basic"]);
			await account.requestToken(await idp.browser.signIn(url), { flow });
			const signedIn = backend.getRefreshToken()?.secret;

			// A forced refresh succeeds at the identity platform; its save meets the outage.
			cutMidSave = true;
			// The refresh itself resolves: the grant is redeemed; the failed save is a typed warning.
			expect(await account.con.refreshToken()).toBe(true);
			expect(warnings.find((line) => line.code === "backend_io")?.message).toMatch(
				/did not answer within 3000 ms/,
			);
			expect(idp.tokenRequests("refresh_token")).toHaveLength(1);

			// The refreshed token is in memory: the next call gets it, with no store call and no new grant.
			const token = await account.con.getAccessToken();
			expect(idp.verifyAccessToken(token)).toBeDefined();
			expect(idp.tokenRequests("refresh_token")).toHaveLength(1);

			// The network is back: the next save stores the rotated refresh token.
			await link.open();
			await linked.collection("o365").doc("warm-up").get(); // the client has reconnected
			expect(await backend.saveToken()).toBe(true);

			// Another process loads the rotated refresh token, the only one the platform still accepts.
			// (It does not refresh here: the lease whose release the cut made fail blocks it for 30 s.)
			const stored = new FirestoreBackend({
				client: emulatorClient("o365-outage-refresh", (emulator as { host: string }).host),
				collection: "o365",
				docId: "refresh",
			});
			expect(await stored.loadToken()).toBe(true);
			expect(stored.getRefreshToken()?.secret).toBe(backend.getRefreshToken()?.secret);
			expect(stored.getRefreshToken()?.secret).not.toBe(signedIn);
			expect(idp.tokenRequests("refresh_token").every((grant) => grant.status === 200)).toBe(true);
		} finally {
			await idp.close();
			await link.cut();
		}
	}, 90_000);
});

// Last: it stops this file's emulator (and starts it again).
describe("the server stopped in the middle of a save", () => {
	it("fails that save with backend_io, keeps the token in memory, and the next save stores it", async () => {
		const { host } = emulator as { host: string; dir: string };
		const control = { stopMidSave: false };
		const backend = interruptedBackend(client, "outage", control);
		const before = msalCacheFixture({ users: 1 });
		backend.deserialize(before.json, { changed: true });
		expect(await backend.saveToken()).toBe(true);

		// A refresh replaced the tokens in memory; the save of them meets the outage.
		const refreshed = msalCacheFixture({ users: 1 });
		backend.deserialize(refreshed.json, { changed: true });
		control.stopMidSave = true;
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
		await serverAnswers();
		expect(await backend.saveToken()).toBe(true);
		const reader = new FirestoreBackend({ client, collection: "o365", docId: "outage" });
		expect(await reader.loadToken()).toBe(true);
		expect(reader.getRefreshToken()?.secret).toBe(refreshed.users[0]?.refreshToken);
	}, 90_000);
});
