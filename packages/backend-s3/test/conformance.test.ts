import { testTokenBackend } from "@o365/backend-test-suite";
import { afterAll, beforeAll } from "vitest";
import { AWSS3Backend } from "../src/index.js";
import { createTestBucket, emptyBucket, testS3Client } from "./helpers/s3.js";

const client = testS3Client();
let bucket: Awaited<ReturnType<typeof createTestBucket>>;
beforeAll(async () => {
	bucket = await createTestBucket(client);
});
afterAll(() => bucket.drop());

testTokenBackend({
	name: "s3 (Ceph radosgw)",
	timeoutMs: 60_000, // as this package's other tests: up to 19 s in CI runs
	create: () => new AWSS3Backend({ bucketName: bucket.name, filename: "o365_token.txt", client }),
	reset: () => emptyBucket(client, bucket.name),
	badConfigurations: [
		{
			name: "an empty bucketName",
			build: () => new AWSS3Backend({ bucketName: "", filename: "t.txt", client }),
		},
		{
			name: "a filename starting with /",
			build: () => new AWSS3Backend({ bucketName: "b-1", filename: "/t.txt", client }),
		},
		{
			name: "a bucket that does not exist",
			build: () => new AWSS3Backend({ bucketName: "o365-no-such-bucket", filename: "t.txt", client }),
		},
		{
			name: "credentials the server does not know",
			build: () =>
				new AWSS3Backend({
					bucketName: bucket.name,
					filename: "t.txt",
					client: testS3Client({ credentials: { accessKeyId: "nobody", secretAccessKey: "wrong" } }),
				}),
		},
	],
});
