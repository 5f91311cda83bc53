import { fileURLToPath } from "node:url";
import { BitwardenSecretsManagerBackend } from "@o365/backend-bitwarden";
import {
	type FakeAccessToken,
	type FakeBitwardenServer,
	makeAccessToken,
	startFakeBitwardenServer,
} from "@o365/backend-bitwarden/testing";
import { expectExampleStoresTheToken, runExample } from "@o365/example-support/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

describe("backend-bitwarden example (the real Bitwarden SDK against the package's fake server)", () => {
	let server: FakeBitwardenServer;
	let accessToken: FakeAccessToken;
	const backend = (secretId?: string) =>
		new BitwardenSecretsManagerBackend({
			accessToken: accessToken.token,
			secretId,
			organizationId: server.organizationId,
			apiUrl: server.apiUrl,
			identityUrl: server.identityUrl,
		});
	beforeAll(async () => {
		accessToken = makeAccessToken();
		server = await startFakeBitwardenServer({ accessTokens: [accessToken] });
	});
	afterAll(() => server?.close());

	it("stores the signed-in user's token in the secret O365_TOKEN_SECRET_ID names, signs in silently from it next time, and calls Graph", async () => {
		// An existing, empty token secret, as a user would have after the first run.
		const creator = backend();
		await creator.write("placeholder");
		const secretId = creator.secretId as string;
		await creator.remove();
		await expectExampleStoresTheToken({
			exampleDir,
			env: {
				BWS_ACCESS_TOKEN: accessToken.token,
				BWS_ORGANIZATION_ID: server.organizationId,
				BWS_API_URL: server.apiUrl,
				BWS_IDENTITY_URL: server.identityUrl,
				O365_TOKEN_SECRET_ID: secretId,
			},
			storedIn: `Bitwarden Secrets Manager at ${server.apiUrl}, secret ${secretId}`,
			// Read back through the SDK: the server only ever sees what the SDK encrypted.
			readStored: async () => (await backend(secretId).read()) ?? undefined,
		});
		expect(server.secrets.size).toBe(1); // no second secret was created
	});

	it("runs offline by default: creates the token secret on the fake server and says how to reuse it", async () => {
		const { code, stdout, stderr } = await runExample(exampleDir);
		expect(stderr).toBe("");
		expect(code).toBe(0);
		const [, id] =
			/Created the token secret: set O365_TOKEN_SECRET_ID=([0-9a-f-]{36}) to reuse it\./.exec(stdout) ?? [];
		expect(id).toBeDefined();
		expect(stdout).toContain("Signed in interactively as Adele Vance <adele@contoso.test>.");
		expect(stdout).toContain(`Token stored in the fake Bitwarden server (offline), secret ${id}.`);
	});
});
