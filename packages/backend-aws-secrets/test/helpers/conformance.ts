import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { type BadConfiguration, testTokenBackend } from "@o365/backend-test-suite";
import { AWSSecretsBackend } from "../../src/index.js";
import { purgeSecrets, uniqueSecretName } from "./clients.js";

/** Why three groups run here with values that fit a secret (see size-limited-groups.test.ts). */
export const SIZE_LIMITED = {
	opaqueValues:
		"its 200 KiB sample cannot fit: a Secrets Manager secret holds at most 65,536 bytes (size-limited-groups.test.ts runs every other sample, and a 60 KiB one)",
	parallelSaves:
		"its 64 KiB values plus their prefix exceed the 65,536 bytes a secret holds (size-limited-groups.test.ts runs the same checks with 48 KiB values)",
	atomicWrites:
		"its 64 KiB values plus their prefix exceed the 65,536 bytes a secret holds (size-limited-groups.test.ts runs the same check with 48 KiB values)",
};

export function badConfigurations(client: () => SecretsManagerClient): BadConfiguration[] {
	return [
		{ name: "an empty secretName", build: () => new AWSSecretsBackend({ secretName: "" }) },
		{
			name: "an ARN as secretName",
			build: () =>
				new AWSSecretsBackend({
					secretName: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tokens-AbCdEf",
					client: client(),
				}),
		},
		{
			name: "a misspelt region",
			build: () => new AWSSecretsBackend({ secretName: "tokens", regionName: "eu_west_1" }),
		},
		{
			name: "both client and regionName",
			build: () => new AWSSecretsBackend({ secretName: "tokens", client: client(), regionName: "eu-west-1" }),
		},
		{
			name: "a zero timeout",
			build: () => new AWSSecretsBackend({ secretName: "tokens", client: client(), timeoutMs: 0 }),
		},
		{
			name: "a recovery window under 7 days",
			build: () => new AWSSecretsBackend({ secretName: "tokens", client: client(), recoveryWindowInDays: 1 }),
		},
	];
}

/** Registers the conformance suite over one secret (and its lease secret) on `client`. */
export function conformance(
	name: string,
	client: () => SecretsManagerClient,
	options: { forceDeleteWithoutRecovery?: boolean; extraBadConfigurations?: BadConfiguration[] } = {},
): void {
	const secretName = uniqueSecretName(name);
	testTokenBackend({
		name,
		create: () =>
			new AWSSecretsBackend({
				secretName,
				client: client(),
				forceDeleteWithoutRecovery: options.forceDeleteWithoutRecovery ?? false,
			}),
		reset: () => purgeSecrets(client(), [secretName, `${secretName}.lease`]),
		skip: SIZE_LIMITED,
		badConfigurations: [...badConfigurations(client), ...(options.extraBadConfigurations ?? [])],
	});
}
