import { msalCacheFixture } from "@o365/backend-test-suite";
import { AesGcmCryptographyManager, TokenBackendError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { openPostgres } from "./helpers/databases.js";
import { useDatabase } from "./helpers/use-database.js";

const OLD = { id: "2026-01", key: AesGcmCryptographyManager.generateKey() };
const NEW = { id: "2026-11", key: AesGcmCryptographyManager.generateKey() };

describe("encryption at rest in a PostgreSQL row (AesGcmCryptographyManager)", () => {
	const database = useDatabase(openPostgres);

	it("stores a row nobody can read without the key, that still loads after a key rotation", async () => {
		const fixture = msalCacheFixture({ users: 2 });
		const writer = database.backend({ cryptographyManager: new AesGcmCryptographyManager({ keys: [OLD] }) });
		writer.deserialize(fixture.json, { changed: true });
		await writer.saveToken();

		const [row] = await database.db.rows();
		expect(row?.value).toMatch(/^o365enc:v1:2026-01:/);
		for (const user of fixture.users) {
			for (const secret of [user.accessToken, user.refreshToken, user.idToken, user.username]) {
				expect(row?.value).not.toContain(secret);
			}
		}
		expect(() => JSON.parse(row?.value ?? "")).toThrow();

		const withoutKey = database.backend();
		await expect(withoutKey.loadToken()).rejects.toMatchObject({ code: "backend_crypto" });
		expect((await database.db.rows())[0]?.value).toMatch(/^o365enc:/); // not moved aside: a missing key is not corruption

		const rotated = database.backend({
			cryptographyManager: new AesGcmCryptographyManager({ keys: [NEW, OLD] }),
		});
		expect(await rotated.loadToken()).toBe(true);
		expect(JSON.parse(rotated.serialize())).toEqual(fixture.document);
		await rotated.saveToken({ force: true });
		expect((await database.db.rows())[0]?.value).toMatch(/^o365enc:v1:2026-11:/);
	});

	it("rejects a row with one flipped byte and leaves it untouched", async () => {
		const backend = database.backend({ cryptographyManager: new AesGcmCryptographyManager({ keys: [NEW] }) });
		backend.deserialize(msalCacheFixture({ users: 1 }).json, { changed: true });
		await backend.saveToken();
		const stored = (await database.db.rows())[0]?.value as string;
		const at = stored.length - 10;
		const flipped = `${stored.slice(0, at)}${stored[at] === "A" ? "B" : "A"}${stored.slice(at + 1)}`;
		await database.backend().write(flipped); // the raw value, as an attacker or a bad disk would leave it
		const reader = database.backend({ cryptographyManager: new AesGcmCryptographyManager({ keys: [NEW] }) });
		const error = await reader.loadToken().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TokenBackendError);
		expect((error as TokenBackendError).code).toBe("backend_crypto");
		expect((await database.db.rows())[0]?.value).toBe(flipped);
	});
});
