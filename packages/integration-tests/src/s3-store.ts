import { randomUUID } from "node:crypto";
import {
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectCommand,
	ListObjectsV2Command,
	S3Client,
} from "@aws-sdk/client-s3";
import { unquoteIfMatchForCeph } from "@o365/backend-s3/testing";

/** Where a fleet's S3 store is: a bucket on an S3 server (Ceph radosgw in the tests). */
export interface S3StoreConfig {
	kind: "s3";
	endpoint: string;
	accessKeyId: string;
	secretAccessKey: string;
	bucketName: string;
	filename: string;
}

/** An S3 client for the test server, with the radosgw `If-Match` shim (see `@o365/backend-s3/testing`). */
export function testS3Client(config: Omit<S3StoreConfig, "kind" | "bucketName" | "filename">): S3Client {
	return unquoteIfMatchForCeph(
		new S3Client({
			endpoint: config.endpoint,
			region: "us-east-1",
			forcePathStyle: true,
			credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
		}),
	);
}

/** Creates a fresh bucket for one fleet; `drop()` empties and deletes it. */
export async function createS3Store(
	server: Omit<S3StoreConfig, "kind" | "bucketName" | "filename">,
): Promise<{ config: S3StoreConfig; drop(): Promise<void> }> {
	const client = testS3Client(server);
	const bucketName = `o365-fleet-${randomUUID().slice(0, 18)}`;
	await client.send(new CreateBucketCommand({ Bucket: bucketName }));
	return {
		config: { kind: "s3", ...server, bucketName, filename: "o365_token.txt" },
		async drop() {
			const listed = await client.send(new ListObjectsV2Command({ Bucket: bucketName }));
			for (const object of listed.Contents ?? []) {
				await client.send(new DeleteObjectCommand({ Bucket: bucketName, Key: object.Key }));
			}
			await client.send(new DeleteBucketCommand({ Bucket: bucketName }));
			client.destroy();
		},
	};
}
