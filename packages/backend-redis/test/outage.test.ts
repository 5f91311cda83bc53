import { inspect } from "node:util";
import { combineCacheDocuments, expectHoldsUsers, msalCacheFixture } from "@o365/backend-test-suite";
import { TokenBackendError } from "@o365/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RedisTokenBackend } from "../src/index.js";
import { CLIENT_LIBRARIES, openClient } from "./helpers/clients.js";
import { type OwnRedisServer, ownRedisServer } from "./helpers/own-server.js";

// The server goes away in the middle of the work: each call must end with a typed error within
// its timeout (never a wait while the client retries), the token stays in memory, and once the
// server is back the next save succeeds and nothing stored before is lost.
const TIMEOUT_MS = 1_000;

describe.each(CLIENT_LIBRARIES)("a Redis outage (%s)", (library) => {
	let server: OwnRedisServer;
	let close: () => Promise<void>;
	let backend: () => RedisTokenBackend;
	const stored = msalCacheFixture({ users: 1 });
	const added = msalCacheFixture({ users: 1 });

	beforeEach(async () => {
		server = await ownRedisServer();
		const opened = await openClient(library, server.url, { reconnectDelayMs: 20 });
		close = opened.close;
		backend = () => new RedisTokenBackend({ client: opened.client, key: "outage", timeoutMs: TIMEOUT_MS });
		await backend().write(stored.json);
	});
	afterEach(async () => {
		await close();
		await server.dispose();
	});

	/** Loads the stored user, then signs in another one in memory: a save is due. */
	async function backendWithUnsavedUser(): Promise<RedisTokenBackend> {
		const saver = backend();
		expect(await saver.loadToken()).toBe(true);
		saver.deserialize(JSON.stringify(combineCacheDocuments(saver.cache, added.document)), { changed: true });
		return saver;
	}

	/**
	 * Waits until the client has reconnected after `server.start()`: it does so with its own
	 * back-off, and on a loaded machine its first command after the restart may still time out.
	 */
	async function untilReconnected(): Promise<void> {
		await vi.waitFor(async () => expect(await backend().checkToken()).toBe(true), {
			timeout: 20_000,
			interval: 100,
		});
	}

	async function expectTypedOutageError(call: Promise<unknown>): Promise<void> {
		const error = await call.then(
			() => undefined,
			(rejection: unknown) => rejection,
		);
		expect(error, "the call must reject").toBeInstanceOf(TokenBackendError);
		expect((error as TokenBackendError).code).toBe("backend_io");
		expect((error as Error).message, "the message names the server").toContain(
			server.url.slice("redis://".length),
		);
		for (const user of [...stored.users, ...added.users]) {
			const everything = inspect(error, { depth: 10, showHidden: true }) + JSON.stringify(error);
			expect(everything, "no token in the error").not.toContain(user.refreshToken);
		}
	}

	it("server stopped: the save rejects typed, the token stays in memory, the next save after the restart keeps everything", async () => {
		const saver = await backendWithUnsavedUser();
		await server.stop();
		await expectTypedOutageError(saver.saveToken());
		expectHoldsUsers(saver, [...stored.users, ...added.users], "in memory after the failed save");
		expect(saver.hasStateChanged, "the unsaved change is still due").toBe(true);

		await server.start();
		await untilReconnected();
		expect(await saver.saveToken()).toBe(true);
		const reader = backend();
		expect(await reader.loadToken()).toBe(true);
		expectHoldsUsers(reader, [...stored.users, ...added.users], "stored after the server came back");
	}, 40_000);

	it("server frozen mid-save (connected, answering nothing): the save rejects typed; after it thaws the next save keeps everything", async () => {
		const saver = await backendWithUnsavedUser();
		server.freeze();
		await expectTypedOutageError(saver.saveToken());
		server.thaw();
		// The abandoned save may still run once the server thaws; either way the next save merges.
		expect(await saver.saveToken()).toBe(true);
		const reader = backend();
		expect(await reader.loadToken()).toBe(true);
		expectHoldsUsers(reader, [...stored.users, ...added.users], "stored after the server thawed");
	});

	it("server stopped: loading, checking and taking the lease reject typed too", async () => {
		await server.stop();
		await expectTypedOutageError(backend().loadToken());
		await expectTypedOutageError(backend().checkToken());
		await expectTypedOutageError(backend().acquireLease({ ttlMs: 5_000, waitMs: 0 }));
		await server.start();
		await untilReconnected();
	}, 40_000);

	it("server frozen while a lease is being taken: the call rejects typed, and the lease the server grants after it thaws is given back", async () => {
		server.freeze();
		await expectTypedOutageError(backend().acquireLease({ ttlMs: 60_000, waitMs: 0 }));
		server.thaw();
		// Without the give-back, the lease taken late would block everyone for its 60 s.
		const lease = await backend().acquireLease({ ttlMs: 5_000, waitMs: 5_000 });
		await lease.release();
	});

	it("server frozen: the caller's AbortSignal ends a waiting call with its reason", async () => {
		server.freeze();
		const controller = new AbortController();
		const reason = new Error("the caller gave up");
		const loading = backend().loadToken({ signal: controller.signal });
		controller.abort(reason);
		await expect(loading).rejects.toBe(reason);
		server.thaw();
	});
});
