import { TokenBackendError } from "@o365/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AWSS3Backend } from "../src/index.js";
import { startFakeS3Answer, startSilentServer, startStallingServer } from "./helpers/fake-s3-answers.js";
import { createTestBucket, testS3Client } from "./helpers/s3.js";

const client = testS3Client();
let bucket: Awaited<ReturnType<typeof createTestBucket>>;
beforeAll(async () => {
	bucket = await createTestBucket(client);
});
afterAll(() => bucket.drop());

async function rejection(promise: Promise<unknown>): Promise<TokenBackendError> {
	const error = await promise.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error, "the call rejected with a TokenBackendError").toBeInstanceOf(TokenBackendError);
	return error as TokenBackendError;
}

describe("a bucket that does not exist", () => {
	const missing = () => new AWSS3Backend({ bucketName: "o365-no-such-bucket", filename: "t.txt", client });

	it.each([
		["read", (backend: AWSS3Backend) => backend.read()],
		["write", (backend: AWSS3Backend) => backend.write("v")],
		["writeIfVersion", (backend: AWSS3Backend) => backend.writeIfVersion("v", null)],
		["exists", (backend: AWSS3Backend) => backend.exists()],
		["remove", (backend: AWSS3Backend) => backend.remove()],
		["acquireLease", (backend: AWSS3Backend) => backend.acquireLease({ ttlMs: 1_000, waitMs: 0 })],
	])("%s: backend_invalid_config naming the bucket, never 'nothing stored'", async (_name, call) => {
		const error = await rejection(call(missing()));
		expect(error.code).toBe("backend_invalid_config");
		expect(error.message).toContain('the bucket "o365-no-such-bucket" does not exist');
		expect(error.message).toContain("Check bucketName");
	});
});

describe("denied access", () => {
	it("wrong credentials: backend_invalid_config naming the bucket and the IAM actions", async () => {
		const stranger = testS3Client({
			credentials: { accessKeyId: "nobody", secretAccessKey: "wrong-secret" },
		});
		const backend = new AWSS3Backend({ bucketName: bucket.name, filename: "t.txt", client: stranger });
		for (const call of [() => backend.read(), () => backend.write("v"), () => backend.exists()]) {
			const error = await rejection(call());
			expect(error.code).toBe("backend_invalid_config");
			expect(error.message).toMatch(
				new RegExp(`access to the bucket "${bucket.name}" was denied \\((InvalidAccessKeyId|HTTP 403)\\)`),
			);
			expect(error.message).toContain("s3:GetObject, s3:PutObject and s3:DeleteObject");
			expect(error.message).not.toContain("wrong-secret");
		}
	});
});

describe("answers radosgw cannot give (a fake S3 endpoint)", () => {
	it("a bucket in another region: backend_invalid_config naming that region", async () => {
		const fake = await startFakeS3Answer({
			status: 301,
			code: "PermanentRedirect",
			headers: { "x-amz-bucket-region": "eu-west-1" },
		});
		try {
			const backend = new AWSS3Backend({
				bucketName: "tokens-bucket",
				filename: "t.txt",
				client: testS3Client({ endpoint: fake.endpoint, maxAttempts: 1 }),
			});
			const error = await rejection(backend.read());
			expect(error.code).toBe("backend_invalid_config");
			expect(error.message).toContain('the bucket "tokens-bucket" is in another region (eu-west-1)');
			expect(error.message).toContain('new S3Client({ region: "eu-west-1" })');
		} finally {
			await fake.close();
		}
	});

	it("any failure but 'no such key' is an error, not 'nothing stored'", async () => {
		const fake = await startFakeS3Answer({ status: 500, code: "InternalError" });
		try {
			const backend = new AWSS3Backend({
				bucketName: "tokens-bucket",
				filename: "t.txt",
				client: testS3Client({ endpoint: fake.endpoint, maxAttempts: 1 }),
			});
			const error = await rejection(backend.read());
			expect(error.code).toBe("backend_io");
			expect(error.message).toContain("s3://tokens-bucket/t.txt: InternalError (HTTP 500)");
			await expect(backend.loadToken()).rejects.toMatchObject({ code: "backend_io" });
		} finally {
			await fake.close();
		}
	});
});

describe("every call is bounded", () => {
	let silent: Awaited<ReturnType<typeof startSilentServer>>;
	beforeAll(async () => {
		silent = await startSilentServer();
	});
	afterAll(() => silent.close());

	const unanswered = (timeoutMs?: number) =>
		new AWSS3Backend({
			bucketName: "tokens-bucket",
			filename: "t.txt",
			client: testS3Client({ endpoint: silent.endpoint }),
			...(timeoutMs === undefined ? {} : { timeoutMs }),
		});

	it("a server that never answers: backend_io after timeoutMs, for reads, writes and the lease", async () => {
		for (const call of [
			(backend: AWSS3Backend) => backend.read(),
			(backend: AWSS3Backend) => backend.writeIfVersion("v", '"etag"'),
			(backend: AWSS3Backend) => backend.acquireLease({ ttlMs: 1_000, waitMs: 60_000 }),
		]) {
			const error = await rejection(call(unanswered(300)));
			expect(error.code).toBe("backend_io");
			expect(error.message).toContain("S3 did not");
			expect(error.message).toContain("within 300 ms (timeoutMs)");
		}
	});

	it("a server that stalls in the middle of the token's body: backend_io after timeoutMs", async () => {
		const stalling = await startStallingServer();
		try {
			const backend = new AWSS3Backend({
				bucketName: "tokens-bucket",
				filename: "t.txt",
				client: testS3Client({ endpoint: stalling.endpoint }),
				timeoutMs: 300,
			});
			const error = await rejection(backend.read());
			expect(error.code).toBe("backend_io");
			expect(error.message).toContain("S3 did not read s3://tokens-bucket/t.txt within 300 ms (timeoutMs)");
		} finally {
			await stalling.close();
		}
	});

	it("the caller's signal ends a call that waits on S3, with the signal's reason", async () => {
		const controller = new AbortController();
		const before = silent.connections();
		const reading = unanswered().read({ signal: controller.signal });
		await expect.poll(() => silent.connections(), { timeout: 10_000 }).toBeGreaterThan(before);
		const reason = new Error("the caller gave up");
		controller.abort(reason);
		await expect(reading).rejects.toBe(reason);
	});

	it("an already-aborted signal sends nothing", async () => {
		const before = silent.connections();
		const reason = new Error("aborted before");
		await expect(unanswered().write("v", { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
		expect(silent.connections()).toBe(before);
	});
});
