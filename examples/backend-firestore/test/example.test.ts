import { fileURLToPath } from "node:url";
import { Firestore } from "@google-cloud/firestore";
import { expectExampleStoresTheToken } from "@o365/example-support/test";
import { afterAll, beforeAll, describe, inject, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

describe("backend-firestore example (Google's Firestore emulator)", () => {
	const env = inject("ciServerEnv");
	const client = new Firestore({
		projectId: "o365-example",
		host: env.O365_TEST_FIRESTORE_HOST,
		ssl: false,
		credentials: { client_email: "test@example.invalid", private_key: "unused" },
	});
	const doc = client.collection("o365-example").doc("default");
	beforeAll(async () => {
		await doc.delete();
	});
	afterAll(async () => {
		await doc.delete();
		await client.terminate();
	});

	it("stores the signed-in user's token in a document, signs in silently from it next time, and calls Graph", async () => {
		await expectExampleStoresTheToken({
			exampleDir,
			env,
			storedIn: `Firestore (emulator at ${env.O365_TEST_FIRESTORE_HOST}), document o365-example/default, field token`,
			readStored: async () => (await doc.get()).get("token") as string | undefined,
		});
	});
});
