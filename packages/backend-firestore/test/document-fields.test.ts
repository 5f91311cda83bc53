// The backend writes only its own fields: whatever else the document holds survives every call.
import { FieldValue } from "@google-cloud/firestore";
import { msalCacheFixture } from "@o365/backend-test-suite";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { FirestoreBackend } from "../src/index.js";
import { emulatorProject } from "./helpers/emulator.js";

const project = emulatorProject();
const { client } = project;
const ref = client.collection("users").doc("alice");
const OTHER_FIELDS = { displayName: "Alice", settings: { theme: "dark", "odd.key": 1 }, logins: 41 };

afterAll(() => client.terminate());
beforeEach(async () => {
	await project.clear();
	await ref.set(OTHER_FIELDS);
});

function backend(): FirestoreBackend {
	return new FirestoreBackend({ client, collection: "users", docId: "alice" });
}

async function otherFields(): Promise<Record<string, unknown>> {
	const data = (await ref.get()).data() ?? {};
	return Object.fromEntries(Object.entries(data).filter(([field]) => !field.startsWith("token")));
}

describe("the document's other fields", () => {
	it("survive write, writeIfVersion, saveToken, lease, remove and deleteToken", async () => {
		const first = backend();
		// Valid caches: saveToken() below reads what is stored and merges with it.
		await first.write(msalCacheFixture({ users: 1 }).json);
		expect(await otherFields()).toEqual(OTHER_FIELDS);

		const stored = await first.readVersioned();
		expect(
			await first.writeIfVersion(msalCacheFixture({ users: 1 }).json, stored?.version ?? null),
		).toBeTypeOf("string");
		expect(await otherFields()).toEqual(OTHER_FIELDS);

		const fixture = msalCacheFixture({ users: 2 });
		first.deserialize(fixture.json, { changed: true });
		expect(await first.saveToken({ force: true })).toBe(true);
		expect(await otherFields()).toEqual(OTHER_FIELDS);

		const lease = await first.acquireLease({ ttlMs: 5_000, waitMs: 0 });
		expect(Object.keys((await ref.get()).data() ?? {})).toContain("token_lease");
		await lease.renew?.();
		await lease.release();
		expect(await otherFields()).toEqual(OTHER_FIELDS);
		expect(Object.keys((await ref.get()).data() ?? {})).not.toContain("token_lease");

		const second = backend();
		expect(await second.loadToken()).toBe(true);
		// Core merged the save with what was stored, entry by entry: both users are there.
		expect(second.getAllAccounts().map((account) => account.username)).toEqual(
			expect.arrayContaining(fixture.users.map((user) => user.username)),
		);
		expect(await second.deleteToken()).toBe(true);
		const after = await ref.get();
		expect(after.exists).toBe(true); // the document stays: it holds other fields
		expect(after.data()).toEqual(OTHER_FIELDS);
	});

	it("written by another program between a read and a save are kept, and the save still lands", async () => {
		const first = backend();
		first.deserialize(msalCacheFixture({ users: 1 }).json, { changed: true });
		await first.saveToken();
		await first.loadToken();
		// The app updates its own field: the document's update time moves, the token does not.
		await ref.update({ logins: FieldValue.increment(1) });
		first.deserialize(msalCacheFixture({ users: 1 }).json, { changed: true });
		expect(await first.saveToken()).toBe(true);
		expect(await otherFields()).toEqual({ ...OTHER_FIELDS, logins: 42 });
	});

	it("a document that only held the token is deleted with it", async () => {
		await ref.delete();
		const only = backend();
		await only.write("value");
		expect(await only.remove()).toBe(true);
		expect((await ref.get()).exists).toBe(false);
		expect(await only.remove()).toBe(false);
	});

	it("another fieldName keeps a second token in the same document, apart from the first", async () => {
		const mail = new FirestoreBackend({
			client,
			collection: "users",
			docId: "alice",
			fieldName: "mailToken",
		});
		const first = backend();
		await first.write("first");
		await mail.write("second");
		expect(await first.read()).toBe("first");
		expect(await mail.read()).toBe("second");
		expect(await first.remove()).toBe(true);
		expect(await mail.read()).toBe("second");
	});
});

describe("a document written by python-o365's FirestoreBackend (the field alone, no version)", () => {
	it("loads, and the first compare-and-set save replaces it", async () => {
		const fixture = msalCacheFixture({ users: 1 });
		await ref.set({ ...OTHER_FIELDS, token: fixture.json });
		const loaded = backend();
		expect(await loaded.loadToken()).toBe(true);
		expect(loaded.getAllAccounts()).toHaveLength(1);
		expect(await loaded.exists()).toBe(true);
		const legacy = await loaded.readVersioned();
		expect(legacy?.version).toMatch(/^updated:\d+\.\d{9}$/);
		const next = await loaded.writeIfVersion("replaced", legacy?.version ?? null);
		expect(next).toBeTypeOf("string");
		expect(next).not.toMatch(/^updated:/);
		expect(await loaded.read()).toBe("replaced");
		expect(await otherFields()).toEqual(OTHER_FIELDS);
	});

	it("a field of another type is reported as backend_corrupt, naming the field", async () => {
		await ref.set({ token: { not: "a string" } }, { merge: true });
		await expect(backend().loadToken()).rejects.toMatchObject({
			code: "backend_corrupt",
			message: /the field "token" of users\/alice holds a object/,
		});
	});
});

describe("quarantine", () => {
	it("moves an unreadable value to token_corrupt_<time> in the same document and clears the token", async () => {
		await ref.set({ token: "{not json" }, { merge: true });
		const error = await backend()
			.loadToken()
			.catch((reason: unknown) => reason);
		expect(error).toMatchObject({
			code: "backend_corrupt",
			message: /firestore:users\/alice#token_corrupt_/,
		});
		const data = (await ref.get()).data() ?? {};
		const aside = Object.keys(data).filter((field) => field.startsWith("token_corrupt_"));
		expect(aside).toHaveLength(1);
		expect(data[aside[0] as string]).toBe("{not json");
		expect(data.token).toBeUndefined();
		expect(await otherFields()).toEqual(OTHER_FIELDS);
		expect(await backend().loadToken()).toBe(false); // the next sign-in starts clean
	});

	it("moves nothing when another process saved after the unreadable read", async () => {
		await ref.set({ token: "{not json" }, { merge: true });
		const reader = backend();
		expect(await reader.read()).toBe("{not json");
		await backend().write("saved meanwhile");
		expect(await reader.quarantine()).toBeUndefined();
		expect(await reader.read()).toBe("saved meanwhile");
	});
});

describe("a value that is not a string", () => {
	it("is refused by write() with a typed error, and nothing is written", async () => {
		await expect(backend().write(42 as unknown as string)).rejects.toMatchObject({ code: "invalid_option" });
		expect(await otherFields()).toEqual(OTHER_FIELDS);
		expect((await ref.get()).get("token")).toBeUndefined();
	});
});
