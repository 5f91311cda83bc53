import { afterAll, beforeAll } from "vitest";
import { BitwardenSecretsManagerBackend, type BitwardenSecretsManagerBackendOptions } from "../src/index.js";
import {
	type FakeAccessToken,
	type FakeBitwardenServer,
	makeAccessToken,
	startFakeBitwardenServer,
} from "../src/testing/fake-bitwarden-server.js";

/** A fake Bitwarden server for the file's tests, with one machine account and one empty secret. */
export interface FakeBitwarden {
	server: FakeBitwardenServer;
	accessToken: FakeAccessToken;
	/** A secret that exists, with no token stored. */
	secretId: string;
	/** A backend over that secret (or with `overrides`), talking to the fake. */
	backend(overrides?: Partial<BitwardenSecretsManagerBackendOptions>): BitwardenSecretsManagerBackend;
}

/** Starts the fake on a free loopback port before the file's tests, and stops it after. */
export function useFakeBitwarden(): FakeBitwarden {
	const fake = {} as FakeBitwarden;
	beforeAll(async () => {
		fake.accessToken = makeAccessToken();
		fake.server = await startFakeBitwardenServer({ accessTokens: [fake.accessToken] });
		fake.backend = (overrides = {}) =>
			new BitwardenSecretsManagerBackend({
				accessToken: fake.accessToken.token,
				secretId: fake.secretId,
				organizationId: fake.server.organizationId,
				apiUrl: fake.server.apiUrl,
				identityUrl: fake.server.identityUrl,
				...overrides,
			});
		const creator = fake.backend({ secretId: undefined });
		await creator.write("placeholder");
		fake.secretId = creator.secretId as string;
		await creator.remove();
	});
	afterAll(() => fake.server?.close());
	return fake;
}
