import { expectHoldsUsers, msalCacheFixture } from "@o365/backend-test-suite";
import { TokenBackendError } from "@o365/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type RedisClient, RedisTokenBackend } from "../src/index.js";
import {
	CLIENT_LIBRARIES,
	deleteKeys,
	inspector,
	openClient,
	redisUrl,
	uniquePrefix,
} from "./helpers/clients.js";

describe.each(CLIENT_LIBRARIES)("RedisTokenBackend's keys (%s)", (library) => {
	const keyPrefix = uniquePrefix();
	const admin = inspector();
	let client: RedisClient;
	let close: () => Promise<void>;
	beforeAll(async () => {
		({ client, close } = await openClient(library, redisUrl()));
	});
	beforeEach(() => deleteKeys(admin, keyPrefix));
	afterAll(async () => {
		await deleteKeys(admin, keyPrefix);
		admin.disconnect();
		await close();
	});

	it("keeps the token as a plain string at <keyPrefix>{<key>} and the lease at <keyPrefix>{<key>}:lease", async () => {
		const backend = new RedisTokenBackend({ client, keyPrefix, key: "tenant-1" });
		expect(backend.key).toBe(`${keyPrefix}{tenant-1}`);
		expect(backend.leaseKey).toBe(`${keyPrefix}{tenant-1}:lease`);
		const { json } = msalCacheFixture({ users: 1 });
		backend.deserialize(json, { changed: true });
		await backend.saveToken();
		expect(await admin.get(`${keyPrefix}{tenant-1}`), "what GET returns is the cache JSON").toBe(json);
		const lease = await backend.acquireLease({ ttlMs: 5_000, waitMs: 0 });
		expect(
			await admin.pttl(`${keyPrefix}{tenant-1}:lease`),
			"the lease key expires by itself",
		).toBeGreaterThan(0);
		await lease.release();
		expect(await admin.exists(`${keyPrefix}{tenant-1}:lease`), "release deletes the lease key").toBe(0);
		expect(await admin.keys(`${keyPrefix}*`)).toEqual([`${keyPrefix}{tenant-1}`]);
	});

	it("defaults to the key o365:token:{default}", () => {
		expect(new RedisTokenBackend({ client }).key).toBe("o365:token:{default}");
	});

	it("reads a token the seed's plain SET stored (no version kept beside it)", async () => {
		const { json, users } = msalCacheFixture({ users: 2 });
		await admin.set(`${keyPrefix}{seed}`, json);
		const backend = new RedisTokenBackend({ client, keyPrefix, key: "seed" });
		expect(await backend.loadToken()).toBe(true);
		expectHoldsUsers(backend, users, "loaded from the seed's key");
	});

	it("one key per user: a save touches only its own key", async () => {
		const alice = new RedisTokenBackend({ client, keyPrefix, key: "alice" });
		const bob = new RedisTokenBackend({ client, keyPrefix, key: "bob" });
		const aliceCache = msalCacheFixture({ users: 1 });
		const bobCache = msalCacheFixture({ users: 1 });
		alice.deserialize(aliceCache.json, { changed: true });
		bob.deserialize(bobCache.json, { changed: true });
		await Promise.all([alice.saveToken(), bob.saveToken()]);
		expect(await admin.get(`${keyPrefix}{alice}`)).toBe(aliceCache.json);
		expect(await admin.get(`${keyPrefix}{bob}`)).toBe(bobCache.json);
	});

	it("a key another application filled with a hash: backend_io naming the key and what to do, never the value", async () => {
		await admin.hset(`${keyPrefix}{taken}`, "field", "their-secret-data");
		const error = await new RedisTokenBackend({ client, keyPrefix, key: "taken" })
			.loadToken()
			.catch((rejection: unknown) => rejection);
		expect(error).toBeInstanceOf(TokenBackendError);
		expect((error as TokenBackendError).code).toBe("backend_io");
		expect(String(error)).toContain("WRONGTYPE");
		expect(String(error)).toContain(`${keyPrefix}{taken}`);
		expect(String(error)).toContain("Choose another keyPrefix or key");
		expect(JSON.stringify(error) + String(error)).not.toContain("their-secret-data");
	});

	it("an unreadable token is renamed to <key>.corrupt-<time>: evidence kept, the next sign-in starts clean, the lease untouched", async () => {
		const key = `${keyPrefix}{corrupt}`;
		await admin.set(key, '{"Account": {"truncated');
		await admin.set(`${key}:lease`, "someone", "PX", 10_000);
		const error = await new RedisTokenBackend({ client, keyPrefix, key: "corrupt" })
			.loadToken()
			.catch((rejection: unknown) => rejection);
		expect((error as TokenBackendError).code).toBe("backend_corrupt");
		const aside = (await admin.keys(`${key}.corrupt-*`))[0];
		expect(aside, "a quarantined copy exists").toMatch(/\{corrupt\}\.corrupt-\d{4}-\d\d-\d\dT\d{6}\.\d{3}Z$/);
		expect(String(error), "the error says where it went").toContain(aside);
		expect(await admin.get(aside as string), "the copy is the value, byte for byte").toBe(
			'{"Account": {"truncated',
		);
		expect(await admin.exists(key), "the token key is free").toBe(0);
		expect(await admin.get(`${key}:lease`), "the lease is untouched").toBe("someone");
	});

	it("quarantine() never moves a value saved after the unreadable one was read", async () => {
		const backend = new RedisTokenBackend({ client, keyPrefix, key: "raced" });
		await admin.set(`${keyPrefix}{raced}`, "garbled");
		expect(await backend.read()).toBe("garbled");
		const { json } = msalCacheFixture({ users: 1 });
		await admin.set(`${keyPrefix}{raced}`, json); // another process saved meanwhile
		expect(await backend.quarantine()).toBeUndefined();
		expect(await admin.get(`${keyPrefix}{raced}`)).toBe(json);
		expect(await admin.keys(`${keyPrefix}{raced}.corrupt-*`)).toEqual([]);
	});

	it("two quarantines in the same millisecond keep both copies", async () => {
		const backend = new RedisTokenBackend({ client, keyPrefix, key: "twice" });
		// Only Date is faked, so that both moves get the same time stamp.
		vi.useFakeTimers({ toFake: ["Date"] });
		try {
			vi.setSystemTime(new Date("2026-01-02T03:04:05.678Z"));
			const first = `${keyPrefix}{twice}.corrupt-2026-01-02T030405.678Z`;
			await admin.set(`${keyPrefix}{twice}`, "first");
			expect(await backend.quarantine()).toBe(`redis key ${JSON.stringify(first)}`);
			await admin.set(`${keyPrefix}{twice}`, "second");
			expect(await backend.quarantine()).toBe(`redis key ${JSON.stringify(`${first}-2`)}`);
			expect(await admin.get(first)).toBe("first");
			expect(await admin.get(`${first}-2`)).toBe("second");
		} finally {
			vi.useRealTimers();
		}
	});
});
