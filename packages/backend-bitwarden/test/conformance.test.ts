import { testTokenBackend } from "@o365/backend-test-suite";
import { BitwardenSecretsManagerBackend } from "../src/index.js";
import { makeAccessToken } from "../src/testing/fake-bitwarden-server.js";
import { useFakeBitwarden } from "./fake-server-fixture.js";

const fake = useFakeBitwarden();
const TOO_BIG =
	"a Bitwarden secret holds at most 25,000 characters; this group's samples are 64 KiB to 200 KiB (opaque-values.test.ts and parallel-writes.test.ts prove the same promises with values that fit)";

testTokenBackend({
	name: "bitwarden (real @bitwarden/sdk-napi, fake server)",
	create: () => fake.backend(),
	reset: async () => {
		await fake.backend().remove();
	},
	skip: { opaqueValues: TOO_BIG, parallelSaves: TOO_BIG, atomicWrites: TOO_BIG },
	badConfigurations: [
		{ name: "an empty access token", build: () => fake.backend({ accessToken: "" }) },
		{ name: "a secretId that is not a UUID", build: () => fake.backend({ secretId: "o365-token" }) },
		{
			name: "an access token the server does not know (refused at login)",
			build: () => fake.backend({ accessToken: makeAccessToken().token }),
		},
		{
			name: "neither secretId nor organizationId",
			build: () => fake.backend({ secretId: undefined, organizationId: undefined }),
		},
		{
			name: "apiUrl together with a client of one's own",
			build: () =>
				new BitwardenSecretsManagerBackend({
					accessToken: fake.accessToken.token,
					secretId: fake.secretId,
					client: { auth: () => ({}), secrets: () => ({}) } as never,
					apiUrl: fake.server.apiUrl,
				}),
		},
	],
});
