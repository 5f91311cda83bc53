import { fileURLToPath } from "node:url";
import {
	DeleteBucketCommand,
	DeleteObjectCommand,
	GetObjectCommand,
	NoSuchKey,
	S3Client,
} from "@aws-sdk/client-s3";
import { expectExampleStoresTheToken } from "@o365/example-support/test";
import { afterAll, beforeAll, describe, inject, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));
const BUCKET = `o365-example-${process.pid}`;

describe("backend-s3 example (a real Ceph radosgw)", () => {
	const server = inject("ciServerEnv");
	// The SDK warns on stderr that its 2027 releases need Node 22; true, but not this test's subject.
	const env = { ...server, O365_S3_BUCKET: BUCKET, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
	const client = new S3Client({
		endpoint: server.O365_TEST_S3_ENDPOINT,
		region: "us-east-1",
		forcePathStyle: true,
		credentials: {
			accessKeyId: server.O365_TEST_S3_ACCESS_KEY as string,
			secretAccessKey: server.O365_TEST_S3_SECRET_KEY as string,
		},
	});
	const purge = async () => {
		for (const Key of ["o365_token.txt", "o365_token.txt.lease"]) {
			await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key })).catch(() => {});
		}
	};
	beforeAll(purge);
	afterAll(async () => {
		await purge();
		await client.send(new DeleteBucketCommand({ Bucket: BUCKET })).catch(() => {});
		client.destroy();
	});

	it("stores the signed-in user's token in an object, signs in silently from it next time, and calls Graph", async () => {
		await expectExampleStoresTheToken({
			exampleDir,
			env,
			storedIn: `S3 at ${server.O365_TEST_S3_ENDPOINT}, bucket ${BUCKET}, object o365_token.txt`,
			readStored: async () => {
				try {
					const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "o365_token.txt" }));
					return await object.Body?.transformToString();
				} catch (error) {
					if (error instanceof NoSuchKey) return undefined;
					throw error;
				}
			},
		});
	});
});
