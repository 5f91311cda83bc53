import { readFile } from "node:fs/promises";
import { msalCacheFixture } from "@o365/backend-test-suite";
import { TokenBackendError } from "@o365/core";
import { describe, expect, it } from "vitest";
import type { TestDatabase } from "./databases.js";
import { useDatabase } from "./use-database.js";

/** Column names of the O365Token model, read from the shipped schema.prisma (`@map` or the field name). */
async function modelColumns(): Promise<string[]> {
	const schema = await readFile(new URL("../../schema.prisma", import.meta.url), "utf8");
	const body = /model O365Token \{([\s\S]*?)\n\}/.exec(schema)?.[1] ?? "";
	return body
		.split("\n")
		.map((line) => line.trim())
		.filter((line) => /^[a-zA-Z]\w*\s/.test(line))
		.map((line) => /@map\("([^"]+)"\)/.exec(line)?.[1] ?? line.split(/\s+/)[0]!);
}

/** Reading, writing, one row per location and isolation, against a real database. */
export function storageTests(open: () => Promise<TestDatabase>): void {
	const fx = useDatabase(open);

	it("the shipped SQL creates exactly the model's columns, and every field round-trips through the client", async () => {
		expect((await fx.db.columns()).sort()).toEqual((await modelColumns()).sort());
		const leaseExpiresAt = new Date("2030-01-02T03:04:05.678Z");
		const delegate = fx.db.prisma.o365Token as unknown as {
			create(args: unknown): Promise<unknown>;
			findUnique(args: unknown): Promise<Record<string, unknown>>;
		};
		await delegate.create({
			data: { id: "every-field", value: "v", version: 7, leaseOwner: "me", leaseExpiresAt },
		});
		const row = await delegate.findUnique({ where: { id: "every-field" } });
		expect(row).toMatchObject({
			id: "every-field",
			value: "v",
			version: 7,
			leaseOwner: "me",
			leaseExpiresAt,
		});
		expect(row.updatedAt).toBeInstanceOf(Date);
		expect(Math.abs((row.updatedAt as Date).getTime() - Date.now())).toBeLessThan(60_000);
	});

	it("reads undefined when nothing is stored, and what was written after a write", async () => {
		const backend = fx.backend();
		expect(await backend.read()).toBeUndefined();
		expect(await backend.exists()).toBe(false);
		await backend.write("first");
		await backend.write("second");
		expect(await backend.read()).toBe("second");
		expect(await fx.backend().read()).toBe("second");
		expect(await backend.exists()).toBe(true);
	});

	it("loads in a new instance what saveToken stored, and keeps one row per location after many saves", async () => {
		const writer = fx.backend();
		let lastRefreshToken = "";
		for (let generation = 0; generation < 25; generation++) {
			const cache = msalCacheFixture({ users: 1 });
			lastRefreshToken = cache.users[0]!.refreshToken;
			writer.deserialize(cache.json, { changed: true });
			expect(await writer.saveToken()).toBe(true);
		}
		const rows = await fx.db.rows();
		expect(rows.map((row) => row.id)).toEqual(["default"]);
		expect(rows[0]!.version).toBe(25);
		const reader = fx.backend();
		expect(await reader.loadToken()).toBe(true);
		expect(reader.getRefreshToken()?.secret).toBe(lastRefreshToken);
	});

	it("keeps two keys apart: writing, removing and leasing one leaves the other alone", async () => {
		const [aliceUser, bobUser] = msalCacheFixture({ users: 2 }).users;
		const alice = fx.backend({ key: aliceUser!.homeAccountId });
		const bob = fx.backend({ key: bobUser!.homeAccountId });
		await alice.write("alice's cache");
		await bob.write("bob's cache");
		expect(await alice.read()).toBe("alice's cache");
		expect(await bob.read()).toBe("bob's cache");
		const lease = await alice.acquireLease({ ttlMs: 10_000, waitMs: 0 });
		const bobLease = await bob.acquireLease({ ttlMs: 10_000, waitMs: 0 });
		await Promise.all([lease.release(), bobLease.release()]);
		expect(await alice.remove()).toBe(true);
		expect(await alice.read()).toBeUndefined();
		expect(await bob.read()).toBe("bob's cache");
		expect(await fx.backend().read()).toBeUndefined(); // the default key was never written
	});

	it("remove clears the value (true), then finds nothing (false); the row stays as a tombstone", async () => {
		const backend = fx.backend();
		expect(await backend.remove()).toBe(false);
		await backend.write("value");
		expect(await backend.remove()).toBe(true);
		expect(await backend.remove()).toBe(false);
		expect(await backend.exists()).toBe(false);
		expect(await backend.read()).toBeUndefined();
		expect(await backend.loadToken()).toBe(false);
		expect(await fx.db.rows()).toMatchObject([{ id: "default", value: null }]);
	});

	it("with 10,000 other rows present, a save writes only its own row", async () => {
		await fx.db.insertFiller(10_000);
		const [first, second] = [msalCacheFixture({ users: 1 }), msalCacheFixture({ users: 1 })];
		const key = first.users[0]!.homeAccountId;
		const backend = fx.backend({ key });
		backend.deserialize(first.json, { changed: true });
		await backend.saveToken();
		backend.deserialize(second.json, { changed: true });
		await backend.saveToken();
		const rows = await fx.db.rows();
		expect(rows).toHaveLength(10_001);
		const fillers = rows.filter((row) => row.id.startsWith("filler-"));
		expect(fillers.every((row) => row.value === "filler value" && row.version === 1)).toBe(true);
		const reader = fx.backend({ key });
		await reader.loadToken();
		expect(reader.getRefreshToken()?.secret).toBe(second.users[0]!.refreshToken);
	});

	it("stores only ciphertext with a cryptography manager, and loads it back", async () => {
		const cryptographyManager = {
			encrypt: (plain: string) => Buffer.from(plain).toString("base64"),
			decrypt: (stored: string) => Buffer.from(stored, "base64").toString(),
		};
		const cache = msalCacheFixture({ users: 1 });
		const writer = fx.backend({ cryptographyManager });
		writer.deserialize(cache.json, { changed: true });
		await writer.saveToken();
		const [row] = await fx.db.rows();
		expect(row!.value).not.toContain(cache.users[0]!.refreshToken);
		const reader = fx.backend({ cryptographyManager });
		await reader.loadToken();
		expect(reader.getRefreshToken()?.secret).toBe(cache.users[0]!.refreshToken);
	});

	describe("database errors", () => {
		it("bubble up as backend_io errors that never show the stored value", async () => {
			const broken = await open();
			try {
				await broken.prisma.$executeRawUnsafe("DROP TABLE o365_token");
				const cache = msalCacheFixture({ users: 1 });
				const backend = fx.backend({ prisma: broken.prisma });
				backend.deserialize(cache.json, { changed: true });
				const error = await backend.saveToken().catch((caught: unknown) => caught);
				expect(error).toBeInstanceOf(TokenBackendError);
				expect(error).toMatchObject({ code: "backend_io", backend: "prisma" });
				expect(String((error as Error).message)).not.toContain(cache.users[0]!.refreshToken);
				await expect(backend.loadToken()).rejects.toMatchObject({ code: "backend_io" });
			} finally {
				await broken.close();
			}
		});
	});
}
