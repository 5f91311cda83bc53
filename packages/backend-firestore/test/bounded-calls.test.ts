// Every call is bounded: the Firestore client retries an unreachable server for about ten
// minutes, so the backend's own deadline (timeoutMs) and the caller's signal must end the call.
import { createServer } from "node:net";
import { TokenBackendError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { FirestoreBackend } from "../src/index.js";
import { emulatorClient } from "./helpers/emulator.js";

/** A loopback port nothing listens on: taken from the OS, then closed. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

const unreachable = emulatorClient("o365-unreachable", `127.0.0.1:${await closedPort()}`);
// Not terminated: terminate() with calls still retrying in the client makes the client reject
// promises nobody holds (its own); the worker ends with the file.

function backend(timeoutMs = 300): FirestoreBackend {
	return new FirestoreBackend({ client: unreachable, collection: "o365", docId: "d", timeoutMs });
}

const CALLS: Record<string, (store: FirestoreBackend) => Promise<unknown>> = {
	read: (store) => store.read(),
	write: (store) => store.write("value"),
	remove: (store) => store.remove(),
	exists: (store) => store.exists(),
	readVersioned: (store) => store.readVersioned(),
	writeIfVersion: (store) => store.writeIfVersion("value", null),
	quarantine: (store) => store.quarantine(),
	loadToken: (store) => store.loadToken(),
};

describe("an unreachable server", () => {
	for (const [name, call] of Object.entries(CALLS)) {
		it(`${name}() rejects with a TokenBackendError coded backend_io that names timeoutMs`, async () => {
			const error = await call(backend()).catch((reason: unknown) => reason);
			expect(error).toBeInstanceOf(TokenBackendError);
			expect(error).toMatchObject({
				code: "backend_io",
				backend: "firestore",
				message: /did not answer within 300 ms \(the timeoutMs option\)/,
			});
		});
	}

	it("acquireLease() rejects with backend_io from its attempt's deadline, not after minutes", async () => {
		await expect(backend().acquireLease({ ttlMs: 5_000, waitMs: 60_000 })).rejects.toMatchObject({
			code: "backend_io",
			message: /take the token lease: Firestore did not answer within 300 ms/,
		});
	});

	it("the caller's AbortSignal ends a call before the deadline, with the signal's reason", async () => {
		const controller = new AbortController();
		const reason = new Error("the caller gave up");
		const pending = backend(60_000).read({ signal: controller.signal });
		controller.abort(reason);
		await expect(pending).rejects.toBe(reason);
	});

	it("an already-aborted signal sends nothing and rejects with its reason", async () => {
		const reason = new Error("aborted before the call");
		await expect(backend(60_000).write("value", { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
	});

	it("an acquireLease waiting on the server is ended by its signal", async () => {
		const controller = new AbortController();
		const pending = backend(60_000).acquireLease({ ttlMs: 5_000, waitMs: 60_000, signal: controller.signal });
		controller.abort(new Error("stop waiting"));
		await expect(pending).rejects.toThrow("stop waiting");
	});
});
