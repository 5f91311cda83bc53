import { Firestore } from "@google-cloud/firestore";
import { FirestoreBackend } from "@o365/backend-firestore";
import type { TokenBackend } from "@o365/core";

/**
 * A fleet member's handle on the Cloud Firestore emulator: its own client, as each process of a
 * real fleet has. The credentials are placeholders the emulator ignores.
 */
export function firestoreStore(config: { host: string; projectId: string; docId: string }): {
	backend: TokenBackend;
	close(): Promise<void>;
} {
	const client = new Firestore({
		projectId: config.projectId,
		host: config.host,
		ssl: false,
		credentials: { client_email: "fleet@example.invalid", private_key: "unused" },
	});
	return {
		backend: new FirestoreBackend({ client, collection: "o365", docId: config.docId }),
		close: () => client.terminate(),
	};
}
