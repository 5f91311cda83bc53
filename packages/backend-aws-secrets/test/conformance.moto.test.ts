// The conformance suite on moto 5.1.1, a real Secrets Manager server (the wire protocol, the
// ordinary flows). Compare-and-set and replays are proven AWS-exact on the fake as well.
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { beforeAll, inject } from "vitest";
import { localClient } from "./helpers/clients.js";
import { conformance } from "./helpers/conformance.js";

let client: SecretsManagerClient;
beforeAll(() => {
	client = localClient(inject("motoEndpoint"));
});

// moto 5.1.1 accepts PutSecretValue and UpdateSecretVersionStage on a secret scheduled for
// deletion (AWS refuses them), so here deleteToken() deletes without a recovery window; the
// recovery-window path runs on the fake (conformance.fake.test.ts).
conformance("aws-secrets-moto", () => client, { forceDeleteWithoutRecovery: true });
