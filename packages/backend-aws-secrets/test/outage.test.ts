// An outage in the middle of a save: moto (its own server here, not the shared one) is stopped
// just as the save after a token refresh sends its write, then started again with what it held
// (moto keeps its state in memory: its request recorder, replayed at start, stands in for AWS's
// durability). Against the test kit's identity platform rotating refresh tokens.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Account } from "@o365/core";
import { startFakeIdentityPlatform } from "@o365/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AWSSecretsBackend } from "../src/index.js";
import { localClient, uniqueSecretName } from "./helpers/clients.js";
import { startMoto, stopMoto } from "./helpers/moto.js";

const CLIENT = {
	clientId: "outage-app",
	clientSecret: "outage-secret-value",
	redirectUri: "http://localhost:7071/cb",
};
let recordingDir: string;
let moto: { endpoint: string; dir: string };
let port: number;

function startRecordingMoto(at?: number) {
	return startMoto(at, {
		MOTO_ENABLE_RECORDING: "True",
		MOTO_RECORDER_FILEPATH: join(recordingDir, "requests.jsonl"),
	});
}

beforeAll(async () => {
	recordingDir = await mkdtemp(join(tmpdir(), "o365-moto-recording-"));
	moto = startRecordingMoto();
	port = Number(new URL(moto.endpoint).port);
});
afterAll(async () => {
	stopMoto(moto.dir);
	await rm(recordingDir, { recursive: true, force: true });
});

/** Stops moto when the next write of the token secret is about to be sent. */
function stopMotoOnNextTokenWrite(
	client: SecretsManagerClient,
	secretName: string,
): { stopped: () => boolean } {
	let stopped = false;
	client.middlewareStack.add(
		(next, context) => async (args) => {
			const input = args.input as { SecretId?: string; SecretString?: string };
			if (!stopped && context.commandName === "PutSecretValueCommand" && input.SecretId === secretName) {
				stopped = true;
				stopMoto(moto.dir);
			}
			return next(args);
		},
		{ step: "initialize", name: "o365TestStopMotoMidSave" },
	);
	return { stopped: () => stopped };
}

it("moto stopped mid-save: the caller gets its token, a typed warning, the token kept in memory and served, saved once moto is back; nothing lost", async () => {
	const idp = await startFakeIdentityPlatform({
		rotateRefreshTokens: true,
		rejectRefreshTokenReuse: true,
		clients: [{ ...CLIENT, redirectUris: [CLIENT.redirectUri] }],
		users: [{ username: "outage.user@contoso.test" }],
	});
	try {
		const secretName = uniqueSecretName("outage");
		const client = localClient(moto.endpoint);
		const backend = new AWSSecretsBackend({ secretName, client, timeoutMs: 5_000 });
		const warnings: { message: string; code: unknown }[] = [];
		const account = new Account([CLIENT.clientId, CLIENT.clientSecret], {
			tenantId: idp.tenantId,
			redirectUri: CLIENT.redirectUri,
			tokenBackend: backend,
			logger: { warn: (message, details) => warnings.push({ message, code: details?.code }) },
			...idp.msalConfig(),
		});
		const { url, flow } = await account.getAuthorizationUrl(["basic"]);
		await account.requestToken(await idp.browser.signIn(url), { flow });
		const signedInRefreshToken = backend.getRefreshToken()?.secret;
		idp.clearRequests();

		// The refresh succeeds at the identity platform; the save after it meets a stopped server.
		const outage = stopMotoOnNextTokenWrite(client, secretName);
		const token = await account.con.getAccessToken({ forceRefresh: true });
		expect(outage.stopped()).toBe(true);
		expect(idp.verifyAccessToken(token), "the call that refreshed still gets its token").toBeDefined();
		const warning = warnings.find((line) => line.code === "backend_io");
		expect(warning?.message, "the failed save is logged as a typed warning").toContain(secretName);
		expect(idp.tokenRequests("refresh_token")).toHaveLength(1);

		// The caller still gets a valid token, from memory, with no second grant (which the
		// rotated-away refresh token would fail); the refreshed tokens wait in memory.
		const refreshed = backend.getRefreshToken()?.secret;
		expect(refreshed).not.toBe(signedInRefreshToken);
		expect(idp.verifyAccessToken(await account.con.getAccessToken())).toBeDefined();
		expect(idp.tokenRequests("refresh_token")).toHaveLength(1);
		expect(backend.hasStateChanged).toBe(true); // not saved yet: kept for the next save

		// Back with what it held (the recorder replays every request it had received).
		moto = startRecordingMoto(port);
		const replay = await fetch(`${moto.endpoint}/moto-api/recorder/replay-recording`, { method: "POST" });
		expect(replay.ok).toBe(true);
		const before = new AWSSecretsBackend({ secretName, client: localClient(moto.endpoint), lease: false });
		expect(await before.loadToken()).toBe(true);
		expect(before.getRefreshToken()?.secret).toBe(signedInRefreshToken); // the sign-in survived the restart

		// The next save succeeds, and what it stored is the rotated refresh token.
		expect(await backend.saveToken()).toBe(true);
		const after = new AWSSecretsBackend({ secretName, client: localClient(moto.endpoint), lease: false });
		expect(await after.loadToken()).toBe(true);
		expect(after.getRefreshToken()?.secret).toBe(refreshed);

		// Nothing lost: another process refreshes with the stored refresh token, accepted.
		const other = new Account([CLIENT.clientId, CLIENT.clientSecret], {
			tenantId: idp.tenantId,
			redirectUri: CLIENT.redirectUri,
			tokenBackend: after,
			...idp.msalConfig(),
		});
		expect(idp.verifyAccessToken(await other.con.getAccessToken({ forceRefresh: true }))).toBeDefined();
		const grants = idp.tokenRequests("refresh_token");
		expect(grants).toHaveLength(2);
		expect(grants.every((grant) => grant.status === 200 && grant.error === undefined)).toBe(true);
	} finally {
		await idp.close();
	}
});
