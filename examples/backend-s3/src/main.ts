/**
 * Tokens in Amazon S3 (@o365/backend-s3):
 *
 *   eval "$(.ci/radosgw start)"                        # a throwaway local S3 server (Ceph radosgw)
 *   pnpm --filter @o365/example-backend-s3 start       # against the test kit (offline)
 *
 * O365_TEST_S3_ENDPOINT, O365_TEST_S3_ACCESS_KEY and O365_TEST_S3_SECRET_KEY name the local
 * server (the example creates its bucket there); unset, the SDK's default chain (AWS_REGION,
 * credentials) reaches real S3, where the bucket O365_S3_BUCKET (default o365-example) must
 * exist. The token is the object `o365_token.txt`; the next runs sign in silently from it.
 */

import { BucketAlreadyOwnedByYou, CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { AWSS3Backend } from "@o365/backend-s3";
import { unquoteIfMatchForCeph } from "@o365/backend-s3/testing";
import { runMain, showUserWithBackend, startDemo } from "@o365/example-support";

async function localClient(endpoint: string, bucket: string): Promise<S3Client> {
	const client = unquoteIfMatchForCeph(
		new S3Client({
			endpoint,
			region: "us-east-1",
			forcePathStyle: true,
			credentials: {
				accessKeyId: process.env.O365_TEST_S3_ACCESS_KEY ?? "",
				secretAccessKey: process.env.O365_TEST_S3_SECRET_KEY ?? "",
			},
		}),
	);
	await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: unknown) => {
		if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
	});
	return client;
}

runMain(async () => {
	const endpoint = process.env.O365_TEST_S3_ENDPOINT;
	const bucketName = process.env.O365_S3_BUCKET ?? "o365-example";
	const client = endpoint ? await localClient(endpoint, bucketName) : new S3Client({});
	const demo = await startDemo();
	try {
		const tokenBackend = new AWSS3Backend({ bucketName, filename: "o365_token.txt", client });
		await showUserWithBackend(
			demo,
			tokenBackend,
			`S3${endpoint ? ` at ${endpoint}` : ""}, bucket ${bucketName}, object o365_token.txt`,
		);
	} finally {
		client.destroy();
		await demo.close();
	}
});
