import { testTokenBackend } from "@o365/backend-test-suite";
import { afterAll } from "vitest";
import { FirestoreBackend } from "../src/index.js";
import { emulatorProject } from "./helpers/emulator.js";

const project = emulatorProject();
const { client } = project;
afterAll(() => client.terminate());

testTokenBackend({
	name: "firestore",
	// 20 concurrent saves contend in emulator transactions: up to 30 s in CI runs (30 s is the default)
	timeoutMs: 90_000,
	create: () => new FirestoreBackend({ client, collection: "o365", docId: "suite" }),
	reset: () => project.clear(),
	badConfigurations: [
		{ name: "an empty docId", build: () => new FirestoreBackend({ client, collection: "o365", docId: "" }) },
		{
			name: "a document path given as the collection",
			build: () => new FirestoreBackend({ client, collection: "tenants/contoso", docId: "token" }),
		},
		{
			name: "a docId with a slash",
			build: () => new FirestoreBackend({ client, collection: "o365", docId: "a/b" }),
		},
		{
			name: "a reserved fieldName",
			build: () => new FirestoreBackend({ client, collection: "o365", docId: "d", fieldName: "__name__" }),
		},
		{
			name: "a zero timeout",
			build: () => new FirestoreBackend({ client, collection: "o365", docId: "d", timeoutMs: 0 }),
		},
		{
			name: "no client",
			build: () => new FirestoreBackend({ client: undefined as never, collection: "o365", docId: "d" }),
		},
	],
});
