/**
 * Tokens in Cloud Firestore (@o365/backend-firestore):
 *
 *   eval "$(.ci/firestore start)"                            # Google's local Firestore emulator
 *   pnpm --filter @o365/example-backend-firestore start      # against the test kit (offline)
 *
 * O365_TEST_FIRESTORE_HOST (host:port) names the emulator; unset, the client uses your Google
 * Cloud project and credentials (Application Default Credentials). The token is the `token` field
 * of the document `o365-example/default`; the next runs sign in silently from it.
 */

import { Firestore } from "@google-cloud/firestore";
import { FirestoreBackend } from "@o365/backend-firestore";
import { runMain, showUserWithBackend, startDemo } from "@o365/example-support";

runMain(async () => {
	const host = process.env.O365_TEST_FIRESTORE_HOST;
	const client = host
		? new Firestore({
				projectId: "o365-example",
				host,
				ssl: false,
				// The emulator ignores credentials; placeholders stop the client looking for real ones.
				credentials: { client_email: "example@example.invalid", private_key: "unused" },
			})
		: new Firestore();
	const demo = await startDemo();
	try {
		const tokenBackend = new FirestoreBackend({ client, collection: "o365-example", docId: "default" });
		await showUserWithBackend(
			demo,
			tokenBackend,
			`Firestore${host ? ` (emulator at ${host})` : ""}, document o365-example/default, field token`,
		);
	} finally {
		await client.terminate();
		await demo.close();
	}
});
