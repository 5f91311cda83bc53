import { randomUUID } from "node:crypto";
import { expectHoldsUsers, expectO365Error, msalCacheFixture } from "@o365/backend-test-suite";
import { describe, expect, it } from "vitest";
import { useFakeBitwarden } from "./fake-server-fixture.js";

const fake = useFakeBitwarden();

describe("a save creates the secret when there is none", () => {
	it("without secretId: the first save creates it and says which id it got", async () => {
		const created: string[] = [];
		const projectId = randomUUID();
		const backend = fake.backend({
			secretId: undefined,
			projectId,
			secretKey: "o365 token of the mailer",
			onSecretCreated: (id) => created.push(id),
		});
		const fixture = msalCacheFixture({ users: 2 });
		backend.deserialize(fixture.json, { changed: true });
		await backend.saveToken(); // no loadToken() first: python-o365 raised ValueError here

		expect(created).toHaveLength(1);
		expect(backend.secretId).toBe(created[0]);
		const secret = fake.server.secrets.get(created[0] as string);
		expect(secret?.projectIds).toEqual([projectId]);
		const reader = fake.backend({ secretId: created[0] });
		expect(await reader.loadToken()).toBe(true);
		expectHoldsUsers(reader, fixture.users, "a backend given the created id");
		expect(String(backend)).toBe(`bitwarden:secret/${created[0]}`);
	});

	it("with a secretId no secret has: the save creates one and reports its new id", async () => {
		const missing = randomUUID();
		const created: string[] = [];
		const backend = fake.backend({ secretId: missing, onSecretCreated: (id) => created.push(id) });
		expect(await backend.loadToken()).toBe(false);
		backend.deserialize(msalCacheFixture({ users: 1 }).json, { changed: true });
		await backend.saveToken();
		expect(created).toHaveLength(1);
		expect(created[0]).not.toBe(missing);
		expect(backend.secretId).toBe(created[0]);
		expect(fake.server.secrets.has(created[0] as string)).toBe(true);
	});

	it("with a secretId no secret has and no organizationId: a typed error, nothing created", async () => {
		const backend = fake.backend({ secretId: randomUUID(), organizationId: undefined });
		backend.deserialize(msalCacheFixture({ users: 1 }).json, { changed: true });
		const count = fake.server.secrets.size;
		const error = await backend.saveToken().catch((e: unknown) => e);
		expectO365Error(error, ["backend_invalid_config"], "a save with nowhere to create the secret");
		expect((error as Error).message).toMatch(/pass organizationId/);
		expect(fake.server.secrets.size).toBe(count);
	});

	it("over an existing secret: a save without a prior load updates it in place", async () => {
		const backend = fake.backend();
		const fixture = msalCacheFixture({ users: 1 });
		backend.deserialize(fixture.json, { changed: true });
		const count = fake.server.secrets.size;
		await backend.saveToken();
		expect(fake.server.secrets.size, "no secret was added").toBe(count);
		const reader = fake.backend();
		expect(await reader.loadToken()).toBe(true);
		expectHoldsUsers(reader, fixture.users, "the existing secret");
	});

	it("a throwing onSecretCreated does not fail the save", async () => {
		const backend = fake.backend({
			secretId: undefined,
			onSecretCreated: () => {
				throw new Error("the caller's bookkeeping failed");
			},
		});
		await backend.write("stored anyway");
		expect(await fake.backend({ secretId: backend.secretId }).read()).toBe("stored anyway");
	});
});
