// The conformance suite on the FAKE Secrets Manager (helpers/fake-secrets-manager.ts), whose
// ClientRequestToken and staging-label semantics are AWS's where moto's differ.
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll } from "vitest";
import { AWSSecretsBackend } from "../src/index.js";
import { localClient } from "./helpers/clients.js";
import { conformance } from "./helpers/conformance.js";
import { type FakeSecretsManager, startFakeSecretsManager } from "./helpers/fake-secrets-manager.js";

let fake: FakeSecretsManager;
let client: SecretsManagerClient;
let denied: FakeSecretsManager;
beforeAll(async () => {
	fake = await startFakeSecretsManager();
	client = localClient(fake.endpoint);
	denied = await startFakeSecretsManager();
	denied.refuseAll("AccessDeniedException");
});
afterAll(async () => {
	await fake.close();
	await denied.close();
});

// deleteToken() with the default recovery window: the secret is scheduled for deletion, and a
// save with a version read before it is refused (AWS refuses writes to such a secret).
conformance("aws-secrets-fake", () => client, {
	extraBadConfigurations: [
		{
			name: "credentials the IAM policy does not allow (AccessDeniedException)",
			build: () => new AWSSecretsBackend({ secretName: "tokens", client: localClient(denied.endpoint) }),
		},
	],
});
