import { fileURLToPath } from "node:url";
import {
	DeleteSecretCommand,
	GetSecretValueCommand,
	ResourceNotFoundException,
	SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { expectExampleStoresTheToken } from "@o365/example-support/test";
import { afterAll, beforeAll, describe, inject, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));
const SECRETS = ["o365-example/tokens/default", "o365-example/tokens/default.lease"];

describe("backend-aws-secrets example (a real moto server)", () => {
	// The SDK warns on stderr that its 2027 releases need Node 22; true, but not this test's subject.
	const env: Record<string, string> = {
		...inject("ciServerEnv"),
		AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
	};
	const client = new SecretsManagerClient({
		endpoint: env.O365_TEST_MOTO_ENDPOINT,
		region: "us-east-1",
		credentials: { accessKeyId: "test", secretAccessKey: "test" },
	});
	const purge = async () => {
		for (const name of SECRETS) {
			await client
				.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }))
				.catch((error: unknown) => {
					if (!(error instanceof ResourceNotFoundException)) throw error;
				});
		}
	};
	beforeAll(purge);
	afterAll(async () => {
		await purge();
		client.destroy();
	});

	it("stores the signed-in user's token in a secret, signs in silently from it next time, and calls Graph", async () => {
		await expectExampleStoresTheToken({
			exampleDir,
			env,
			storedIn: `AWS Secrets Manager at ${env.O365_TEST_MOTO_ENDPOINT}, secret o365-example/tokens/default`,
			readStored: async () =>
				(await client.send(new GetSecretValueCommand({ SecretId: "o365-example/tokens/default" })))
					.SecretString,
		});
	});
});
