/**
 * Tokens in AWS Secrets Manager (@o365/backend-aws-secrets):
 *
 *   eval "$(.ci/moto start)"                                   # a throwaway local moto server
 *   pnpm --filter @o365/example-backend-aws-secrets start      # against the test kit (offline)
 *
 * O365_TEST_MOTO_ENDPOINT names the local server; unset, the SDK's default chain (AWS_REGION,
 * credentials, the real endpoint) is used. The secret `o365-example/tokens/default` is created
 * on the first save; the next runs sign in silently from it.
 */

import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AWSSecretsBackend } from "@o365/backend-aws-secrets";
import { runMain, showUserWithBackend, startDemo } from "@o365/example-support";

const SECRET_NAME = "o365-example/tokens/default";

runMain(async () => {
	const endpoint = process.env.O365_TEST_MOTO_ENDPOINT;
	const client = new SecretsManagerClient(
		endpoint
			? // moto accepts any credentials; they are placeholders, not secrets.
				{ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } }
			: {},
	);
	const demo = await startDemo();
	try {
		const tokenBackend = new AWSSecretsBackend({ secretName: SECRET_NAME, client });
		await showUserWithBackend(
			demo,
			tokenBackend,
			`AWS Secrets Manager${endpoint ? ` at ${endpoint}` : ""}, secret ${SECRET_NAME}`,
		);
	} finally {
		client.destroy();
		await demo.close();
	}
});
