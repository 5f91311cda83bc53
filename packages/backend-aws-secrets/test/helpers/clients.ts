import { randomUUID } from "node:crypto";
import { DeleteSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** A real SDK client for a local server (moto or the fake), with throwaway credentials. */
export function localClient(endpoint: string, options: { maxAttempts?: number } = {}): SecretsManagerClient {
	return new SecretsManagerClient({
		endpoint,
		region: "us-east-1",
		credentials: { accessKeyId: "test", secretAccessKey: "test" },
		...options,
	});
}

/** A secret name no other test uses. */
export function uniqueSecretName(prefix: string): string {
	return `o365-test/${prefix}/${randomUUID()}`;
}

/** Deletes secrets at once (no recovery window), whether they exist or not. */
export async function purgeSecrets(client: SecretsManagerClient, names: string[]): Promise<void> {
	for (const name of names) {
		await client
			.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }))
			.catch((error: unknown) => {
				if ((error as { name?: string }).name !== "ResourceNotFoundException") throw error;
			});
	}
}
