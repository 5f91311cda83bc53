import { Account } from "@o365/core";
import { type FakeIdentityPlatform, startFakeIdentityPlatform } from "@o365/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AWSS3Backend } from "../src/index.js";
import { createTestBucket, testS3Client } from "./helpers/s3.js";
import { startTcpProxy, type TcpProxy } from "./helpers/tcp-proxy.js";

const CLIENT = {
	clientId: "s3-app",
	clientSecret: "s3-app-secret-value",
	redirectUri: "http://localhost:7071/cb",
};
const FILENAME = "o365_token.txt";

let idp: FakeIdentityPlatform;
let proxy: TcpProxy;
let bucket: Awaited<ReturnType<typeof createTestBucket>>;
const direct = testS3Client();

beforeAll(async () => {
	idp = await startFakeIdentityPlatform({
		rotateRefreshTokens: true,
		rejectRefreshTokenReuse: true,
		clients: [{ ...CLIENT, redirectUris: [CLIENT.redirectUri] }],
		users: [{ username: "outage.user@contoso.test" }],
	});
	proxy = await startTcpProxy(inject("s3Server").endpoint);
	bucket = await createTestBucket(direct);
});
afterAll(async () => {
	await proxy?.close();
	await bucket?.drop();
	await idp?.close();
});

/** A backend that reaches radosgw through the proxy; calls give up after 5 s. */
function backendThroughProxy() {
	return new AWSS3Backend({
		bucketName: bucket.name,
		filename: FILENAME,
		client: testS3Client({ endpoint: proxy.endpoint, maxAttempts: 2 }),
		timeoutMs: 5_000,
	});
}

function account(tokenBackend: AWSS3Backend, warnings: { message: string; code: unknown }[] = []) {
	return new Account([CLIENT.clientId, CLIENT.clientSecret], {
		tenantId: idp.tenantId,
		redirectUri: CLIENT.redirectUri,
		tokenBackend,
		logger: { warn: (message, details) => warnings.push({ message, code: details?.code }) },
		...idp.msalConfig(),
	});
}

/** The access token secrets radosgw holds now, read without the proxy. */
async function storedAccessTokens(): Promise<string[]> {
	const reader = new AWSS3Backend({ bucketName: bucket.name, filename: FILENAME, client: direct });
	const value = (await reader.read()) ?? "{}";
	const cache = JSON.parse(value) as { AccessToken?: Record<string, { secret: string }> };
	return Object.values(cache.AccessToken ?? {}).map((entry) => entry.secret);
}

describe("S3 goes away in the middle of saving a refreshed token", () => {
	it("the call gets its token, the error is typed, and the next save after S3 is back succeeds", async () => {
		const signer = account(backendThroughProxy());
		const { url, flow } = await signer.getAuthorizationUrl(["basic"]);
		await signer.requestToken(await idp.browser.signIn(url), { flow });
		const before = await storedAccessTokens();
		expect(before).toHaveLength(1);

		const backend = backendThroughProxy();
		const warnings: { message: string; code: unknown }[] = [];
		const app = account(backend, warnings);
		await backend.loadToken();
		// The connection is cut as the PUT of the token object (not its lease) starts.
		const cut = proxy.cutOnRequest(new RegExp(`^PUT /${bucket.name}/${FILENAME.replace(".", "\\.")}[ ?]`));
		const refreshed = await app.con.refreshToken();
		await cut;

		expect(refreshed, "the refresh succeeded").toBe(true);
		const token = backend.getAccessToken()?.secret;
		expect(idp.verifyAccessToken(token ?? ""), "the caller holds the refreshed token").toBeDefined();
		expect(token).not.toBe(before[0]);
		expect(warnings.find((line) => line.message.includes("kept in memory, not saved"))).toMatchObject({
			code: "backend_io",
			message: expect.stringContaining(`s3://${bucket.name}/${FILENAME}`),
		});
		expect(await storedAccessTokens(), "nothing was stored during the outage").toEqual(before);
		expect(backend.hasStateChanged, "the refreshed token waits to be saved").toBe(true);

		await proxy.restore();
		await expect(backend.saveToken()).resolves.toBe(true);
		expect(await storedAccessTokens()).toContain(token);
		// A new process loads the refreshed token and uses it without another grant.
		idp.clearRequests();
		const next = account(backendThroughProxy());
		await expect(next.con.getAccessToken()).resolves.toBe(token);
		expect(idp.tokenRequests("refresh_token")).toEqual([]);
	});
});

describe("an answer lost on the way back", () => {
	it("a lease S3 created although its answer was lost is recognised as ours on the SDK's retry", async () => {
		const filename = "lost-answer.txt";
		const lost = proxy.loseAnswerTo(
			new RegExp(`^PUT /${bucket.name}/${filename.replace(".", "\\.")}\\.lease[ ?]`),
		);
		const backend = new AWSS3Backend({
			bucketName: bucket.name,
			filename,
			client: testS3Client({ endpoint: proxy.endpoint, maxAttempts: 3 }),
		});
		// Without recognising its own record, the retry would wait for the lease to expire (60 s).
		const lease = await backend.acquireLease({ ttlMs: 60_000, waitMs: 1_000 });
		await lost;
		const stored = JSON.parse(
			(await new AWSS3Backend({
				bucketName: bucket.name,
				filename: `${filename}.lease`,
				client: direct,
			}).read()) ?? "{}",
		);
		expect(stored.expiresAt).toBe(lease.expiresAt);
		await lease.release();
		await expect(
			new AWSS3Backend({ bucketName: bucket.name, filename: `${filename}.lease`, client: direct }).exists(),
		).resolves.toBe(false);
	});
});
