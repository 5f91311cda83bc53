import { randomUUID } from "node:crypto";
import { Firestore } from "@google-cloud/firestore";
import { inject } from "vitest";

/** The emulator every test file shares (see global-setup.ts). */
export function emulatorHost(): string {
	return inject("firestoreHost");
}

/** A Firestore client of the emulator, and a way to empty its project. */
export interface EmulatorProject {
	client: Firestore;
	projectId: string;
	/** Deletes every document of the project (the emulator's own reset endpoint). */
	clear(): Promise<void>;
}

/**
 * A client of the emulator under a project id of its own, so that test files running at once
 * never see each other's documents. The credentials are placeholders the emulator ignores; with
 * them the client never looks for real ones (nor for a metadata server).
 */
export function emulatorProject(host = emulatorHost()): EmulatorProject {
	const projectId = `o365-test-${randomUUID().slice(0, 8)}`;
	return {
		projectId,
		client: emulatorClient(projectId, host),
		async clear() {
			const response = await fetch(
				`http://${host}/emulator/v1/projects/${projectId}/databases/(default)/documents`,
				{ method: "DELETE" },
			);
			if (!response.ok)
				throw new Error(`the emulator refused to clear ${projectId}: HTTP ${response.status}`);
		},
	};
}

/**
 * A client of `projectId` on `host` (any host: tests point some at a closed port). With
 * `quickReconnect`, gRPC retries a lost connection within half a second instead of backing off
 * for many seconds, so that tests of an outage do not wait on the backoff once it is over.
 */
export function emulatorClient(
	projectId: string,
	host: string,
	options: { quickReconnect?: boolean } = {},
): Firestore {
	return new Firestore({
		projectId,
		host,
		ssl: false,
		credentials: { client_email: "test@example.invalid", private_key: "unused" },
		...(options.quickReconnect === true
			? { "grpc.initial_reconnect_backoff_ms": 100, "grpc.max_reconnect_backoff_ms": 500 }
			: {}),
	});
}
