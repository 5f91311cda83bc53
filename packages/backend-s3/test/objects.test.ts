import {
	GetObjectAclCommand,
	GetObjectCommand,
	HeadObjectCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	S3Client,
} from "@aws-sdk/client-s3";
import { TokenBackendError } from "@o365/core";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { AWSS3Backend } from "../src/index.js";
import { createTestBucket, emptyBucket, testS3Client } from "./helpers/s3.js";

const client = testS3Client();
let bucket: Awaited<ReturnType<typeof createTestBucket>>;
beforeAll(async () => {
	bucket = await createTestBucket(client);
});
beforeEach(() => emptyBucket(client, bucket.name));
afterAll(() => bucket.drop());

const backend = (options: Partial<ConstructorParameters<typeof AWSS3Backend>[0]> = {}) =>
	new AWSS3Backend({ bucketName: bucket.name, filename: "tokens/app.txt", client, ...options });

async function keys(): Promise<string[]> {
	const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket.name }));
	return (listed.Contents ?? []).map((object) => object.Key ?? "").sort();
}

async function text(key: string): Promise<string> {
	const object = await client.send(new GetObjectCommand({ Bucket: bucket.name, Key: key }));
	return (await object.Body?.transformToString("utf-8")) ?? "";
}

describe("the token object", () => {
	it("is text/plain, private to its owner, under filename", async () => {
		await backend().write("value");
		const head = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: "tokens/app.txt" }));
		expect(head.ContentType).toBe("text/plain; charset=utf-8");
		const acl = await client.send(new GetObjectAclCommand({ Bucket: bucket.name, Key: "tokens/app.txt" }));
		expect(acl.Grants?.map((grant) => [grant.Grantee?.ID, grant.Permission])).toEqual([
			[acl.Owner?.ID, "FULL_CONTROL"],
		]);
	});

	it("is encrypted with the KMS key given (SSE-KMS), and reads back", async () => {
		const kmsKeyId = inject("s3Server").kmsKeyId;
		await backend({ kmsKeyId }).write("encrypted value");
		const head = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: "tokens/app.txt" }));
		expect(head.ServerSideEncryption).toBe("aws:kms");
		expect(head.SSEKMSKeyId).toBe(kmsKeyId);
		await expect(backend().read()).resolves.toBe("encrypted value");
	});

	it("is read as nothing stored only when the key does not exist", async () => {
		await expect(backend().read()).resolves.toBeUndefined();
		await expect(backend().exists()).resolves.toBe(false);
		await expect(backend().remove()).resolves.toBe(false);
	});
});

describe("compare-and-set on the ETag", () => {
	it("the version is the ETag S3 returned; a create over an existing object and a stale ETag are refused", async () => {
		const first = await backend().writeIfVersion("one", null);
		expect(first).toMatch(/^"[^"]+"$/);
		await expect(
			backend().writeIfVersion("two", null),
			"If-None-Match: * over an object",
		).resolves.toBeUndefined();
		const second = await backend().writeIfVersion("two", first ?? "");
		expect(second).toBeDefined();
		await expect(backend().writeIfVersion("three", first ?? ""), "a stale If-Match").resolves.toBeUndefined();
		await expect(backend().readVersioned()).resolves.toEqual({ value: "two", version: second });
	});

	it("sends the ETag as S3 returned it, quotes included (the RGW shim is test-only)", async () => {
		const version = await backend().writeIfVersion("one", null);
		const server = inject("s3Server");
		const plain = new S3Client({
			endpoint: server.endpoint,
			region: "us-east-1",
			forcePathStyle: true,
			credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
		});
		const sent: (string | undefined)[] = [];
		plain.middlewareStack.add(
			(next) => (args) => {
				sent.push((args.request as { headers: Record<string, string> }).headers["if-match"]);
				return next(args);
			},
			{ step: "finalizeRequest", name: "recordIfMatch" },
		);
		// RGW 16 refuses the quoted ETag (its quirk): the write is refused, and nothing changes.
		await expect(backend({ client: plain }).writeIfVersion("two", version ?? "")).resolves.toBeUndefined();
		expect(sent).toEqual([version]);
		expect(version).toMatch(/^"[0-9a-f]{32}"$/);
	});
});

describe("the lease object", () => {
	it("sits next to the token, holds only its holder and expiry, and is deleted on release", async () => {
		const lease = await backend().acquireLease({ ttlMs: 10_000, waitMs: 0 });
		expect(await keys()).toEqual(["tokens/app.txt.lease"]);
		const record = JSON.parse(await text("tokens/app.txt.lease"));
		expect(Object.keys(record).sort()).toEqual(["expiresAt", "holder", "owner"]);
		expect(record.expiresAt).toBe(lease.expiresAt);
		expect(record.holder).toBe(`${process.pid}@${(await import("node:os")).hostname()}`);
		await lease.release();
		expect(await keys()).toEqual([]);
	});

	it("an expired holder is taken over by a conditional overwrite; its late release leaves the new holder alone", async () => {
		const dead = await backend().acquireLease({ ttlMs: 50, waitMs: 0 });
		const next = await backend().acquireLease({ ttlMs: 10_000, waitMs: 5_000 });
		expect(next.expiresAt).toBeGreaterThan(dead.expiresAt);
		await dead.release();
		expect(JSON.parse(await text("tokens/app.txt.lease")).expiresAt).toBe(next.expiresAt);
		await expect(dead.renew?.()).rejects.toMatchObject({ code: "lease_lost" });
		await next.release();
	});

	it("a stranger's object at the lease key is overwritten, not respected forever", async () => {
		await client.send(
			new PutObjectCommand({ Bucket: bucket.name, Key: "tokens/app.txt.lease", Body: "not a lease" }),
		);
		const lease = await backend().acquireLease({ ttlMs: 10_000, waitMs: 1_000 });
		expect(JSON.parse(await text("tokens/app.txt.lease")).expiresAt).toBe(lease.expiresAt);
		await lease.release();
	});

	it("lease_timeout names the lease object and its holder", async () => {
		const held = await backend().acquireLease({ ttlMs: 10_000, waitMs: 0 });
		const error = await backend()
			.acquireLease({ ttlMs: 10_000, waitMs: 100 })
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TokenBackendError);
		expect(error).toMatchObject({ code: "lease_timeout" });
		expect((error as Error).message).toContain(`s3://${bucket.name}/tokens/app.txt.lease`);
		expect((error as Error).message).toContain(`held by ${process.pid}@`);
		await held.release();
	});
});

describe("quarantine", () => {
	it("copies the unreadable token to <filename>.corrupt-<time> and removes it", async () => {
		await backend().write("{ truncated");
		const reader = backend();
		await reader.read();
		const where = await reader.quarantine();
		expect(where).toMatch(
			new RegExp(`^s3://${bucket.name}/tokens/app\\.txt\\.corrupt-\\d{4}-\\d\\d-\\d\\dT\\d{6}\\.\\d{3}Z$`),
		);
		const aside = (where ?? "").slice(`s3://${bucket.name}/`.length);
		expect(await keys()).toEqual([aside]);
		expect(await text(aside)).toBe("{ truncated");
	});

	it("moves nothing when another process saved since the read", async () => {
		await backend().write("{ truncated");
		const reader = backend();
		await reader.read();
		await backend().write("a good token");
		await expect(reader.quarantine()).resolves.toBeUndefined();
		expect(await keys()).toEqual(["tokens/app.txt"]);
		expect(await text("tokens/app.txt")).toBe("a good token");
	});

	it("a corrupt token makes loadToken() move it aside and report backend_corrupt", async () => {
		await backend().write("not json");
		const error = await backend()
			.loadToken()
			.catch((caught: unknown) => caught);
		expect(error).toMatchObject({ code: "backend_corrupt" });
		expect((error as Error).message).not.toContain("not json");
		expect((error as Error).message).toContain(`s3://${bucket.name}/tokens/app.txt.corrupt-`);
		expect((await keys()).some((key) => key.startsWith("tokens/app.txt.corrupt-"))).toBe(true);
	});
});
