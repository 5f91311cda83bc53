import { randomUUID } from "node:crypto";
import {
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectCommand,
	ListObjectsV2Command,
	S3Client,
	type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { unquoteIfMatchForCeph } from "@o365/backend-s3/testing";
import { inject } from "vitest";

/** An S3 client for the test server (radosgw), with the RGW shim; `config` overrides. */
export function testS3Client(config: S3ClientConfig = {}): S3Client {
	const server = inject("s3Server");
	return unquoteIfMatchForCeph(
		new S3Client({
			endpoint: server.endpoint,
			region: "us-east-1",
			forcePathStyle: true,
			credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
			...config,
		}),
	);
}

/** Creates a bucket with a fresh name; `drop()` empties and deletes it. */
export async function createTestBucket(client: S3Client): Promise<{ name: string; drop(): Promise<void> }> {
	const name = `o365-test-${randomUUID().slice(0, 18)}`;
	await client.send(new CreateBucketCommand({ Bucket: name }));
	return {
		name,
		async drop() {
			await emptyBucket(client, name);
			await client.send(new DeleteBucketCommand({ Bucket: name }));
		},
	};
}

/** Deletes every object in the bucket. */
export async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
	const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
	await Promise.all(
		(listed.Contents ?? []).map((object) =>
			client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key })),
		),
	);
}
