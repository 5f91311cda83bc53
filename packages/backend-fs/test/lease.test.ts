import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { TokenBackendError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { startFixture } from "./child-process.js";
import { leaseGuardedIncrements } from "./fixtures/lease-counter.js";
import { ALICE, cacheJson, secretsOf, tempDir } from "./helpers.js";

const HOST = os.hostname();
const LONG = 60_000;

function lockFileOf(backend: FileSystemTokenBackend): string {
	return `${backend.tokenFile}.lock`;
}

async function lockContent(backend: FileSystemTokenBackend): Promise<Record<string, unknown>> {
	return JSON.parse(await readFile(lockFileOf(backend), "utf8")) as Record<string, unknown>;
}

function pathExists(file: string): Promise<boolean> {
	return stat(file).then(
		() => true,
		() => false,
	);
}

/** The `expiresAt` a fixture reports in its "acquired <expiresAt>" answer. */
function acquiredUntil(answer: string): number {
	expect(answer).toMatch(/^acquired \d+$/);
	return Number(answer.split(" ")[1]);
}

describe("the token lease (<token file>.lock)", () => {
	it("is exclusive between two instances, and free again at once when released", async () => {
		const dir = await tempDir();
		const first = new FileSystemTokenBackend({ tokenPath: dir });
		const second = new FileSystemTokenBackend({ tokenPath: dir });

		const lease = await first.acquireLease({ ttlMs: LONG, waitMs: 0 });
		await expect(second.acquireLease({ ttlMs: LONG, waitMs: 0 })).rejects.toMatchObject({
			code: "lease_timeout",
			backend: "fs",
		});
		await lease.release();
		const next = await second.acquireLease({ ttlMs: LONG, waitMs: 0 });
		await next.release();
		await next.release(); // twice is harmless
		expect(await readdir(dir)).toEqual([]);
	});

	it("goes to a waiter as soon as the holder releases it", async () => {
		const dir = await tempDir();
		const holder = await new FileSystemTokenBackend({ tokenPath: dir }).acquireLease({
			ttlMs: LONG,
			waitMs: 0,
		});
		const waiting = new FileSystemTokenBackend({ tokenPath: dir }).acquireLease({
			ttlMs: LONG,
			waitMs: LONG,
		});
		const released = performance.now();
		await holder.release();
		const lease = await waiting;
		// it polls every 50 ms at most; left to the holder's ttl, it would wait 60 s
		expect(performance.now() - released).toBeLessThan(10_000);
		await lease.release();
	});

	it("is a 0600 file naming its holder: pid, host, owner id, acquiredAt, expiresAt", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		const before = Date.now();
		const lease = await backend.acquireLease({ ttlMs: 5_000, waitMs: 0 });
		const content = await lockContent(backend);
		expect(content).toEqual({
			pid: process.pid,
			host: HOST,
			ownerId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
			acquiredAt: expect.any(Number),
			expiresAt: lease.expiresAt,
		});
		expect(content.acquiredAt).toBeGreaterThanOrEqual(before);
		expect(lease.expiresAt).toBe((content.acquiredAt as number) + 5_000);
		if (process.platform !== "win32") expect((await stat(lockFileOf(backend))).mode & 0o777).toBe(0o600);
		await lease.release();
	});

	it("is exclusive across processes; the timeout names the holder and until when, never the token", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		backend.deserialize(cacheJson(ALICE), { changed: true });
		await backend.saveToken();
		const child = await startFixture("lease-child.ts", dir);
		const until = acquiredUntil(await child.request(`acquire ${LONG} 0`));

		const error = await backend.acquireLease({ ttlMs: LONG, waitMs: 100 }).catch((reason: unknown) => reason);
		expect(error).toBeInstanceOf(TokenBackendError);
		expect(error).toMatchObject({ code: "lease_timeout" });
		const { message } = error as Error;
		expect(message).toContain(`process ${child.pid}@${HOST}`);
		expect(message).toContain(new Date(until).toISOString());
		expect(message).toContain("waited 100 ms");
		for (const secret of Object.values(secretsOf(ALICE))) expect(message).not.toContain(secret);

		expect(await child.request("release")).toBe("released");
		const lease = await backend.acquireLease({ ttlMs: LONG, waitMs: 0 });
		expect(await child.request(`acquire ${LONG} 0`)).toBe("error lease_timeout");
		await lease.release();
	});

	it("expires by itself after ttlMs when never released", async () => {
		const dir = await tempDir();
		const forgetful = new FileSystemTokenBackend({ tokenPath: dir });
		const next = new FileSystemTokenBackend({ tokenPath: dir });
		const forgotten = await forgetful.acquireLease({ ttlMs: 300, waitMs: 0 });

		const lease = await next.acquireLease({ ttlMs: LONG, waitMs: 10_000 });
		expect(Date.now()).toBeGreaterThanOrEqual(forgotten.expiresAt);
		const ours = await lockContent(next);

		// The late release of the expired lease must not remove the new holder's lock.
		await forgotten.release();
		expect(await lockContent(next)).toEqual(ours);
		await expect(forgetful.acquireLease({ ttlMs: LONG, waitMs: 0 })).rejects.toMatchObject({
			code: "lease_timeout",
		});
		await lease.release();
	});

	it("held by a live process past its ttl, is taken over once expired", async () => {
		const dir = await tempDir();
		const child = await startFixture("lease-child.ts", dir);
		const until = acquiredUntil(await child.request("acquire 800 0"));

		const lease = await new FileSystemTokenBackend({ tokenPath: dir }).acquireLease({
			ttlMs: LONG,
			waitMs: 10_000,
		});
		expect(Date.now()).toBeGreaterThanOrEqual(until);
		expect(child.child.exitCode).toBeNull(); // still alive: only the ttl ended its lease
		await lease.release();
	});

	it("left by a process killed with SIGKILL is taken over at once: its pid is gone (same host)", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		const child = await startFixture("lease-child.ts", dir);
		const until = acquiredUntil(await child.request(`acquire ${LONG} 0`));
		await child.kill("SIGKILL");
		expect((await lockContent(backend)).pid).toBe(child.pid); // a killed process cleans nothing up

		const lease = await backend.acquireLease({ ttlMs: LONG, waitMs: 0 });
		expect(Date.now()).toBeLessThan(until - 30_000);
		expect((await lockContent(backend)).pid).toBe(process.pid);
		await lease.release();
	});

	it("left by a process killed with SIGKILL on another host is taken over after its ttl", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		const child = await startFixture("lease-child.ts", dir);
		const until = acquiredUntil(await child.request("acquire 1500 0"));
		await child.kill("SIGKILL");
		// As if the folder were shared over the network: its pid cannot be checked from here.
		const lock = await lockContent(backend);
		await writeFile(lockFileOf(backend), JSON.stringify({ ...lock, host: "elsewhere.example" }));

		const early = await backend.acquireLease({ ttlMs: LONG, waitMs: 0 }).catch((reason: unknown) => reason);
		expect(early).toMatchObject({
			code: "lease_timeout",
			message: expect.stringContaining("@elsewhere.example"),
		});
		const lease = await backend.acquireLease({ ttlMs: LONG, waitMs: 10_000 });
		expect(Date.now()).toBeGreaterThanOrEqual(until);
		await lease.release();
	});

	it.each([
		["its event loop drains", "drain"],
		["it calls process.exit()", "exit"],
	])("leaves no lock file behind when its process ends cleanly without releasing (%s)", async (_, how) => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		const child = await startFixture("lease-child.ts", dir);
		acquiredUntil(await child.request(`acquire ${LONG} 0`));
		expect(await pathExists(lockFileOf(backend))).toBe(true);

		child.send(how);
		expect(await child.closed).toEqual({ code: 0, signal: null });
		expect(child.stderr).toBe("");
		expect(await pathExists(lockFileOf(backend))).toBe(false);
	});

	it("on exit, leaves alone a lock that another process took over after ours expired", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		const child = await startFixture("lease-child.ts", dir);
		acquiredUntil(await child.request("acquire 300 0"));
		const lease = await backend.acquireLease({ ttlMs: LONG, waitMs: 10_000 });
		const ours = await lockContent(backend);

		child.send("exit");
		expect((await child.closed).code).toBe(0);
		expect(await lockContent(backend)).toEqual(ours);
		await lease.release();
	});

	it("never lets two holders in at once: two instances and two processes, starting from a stale lock", async () => {
		const dir = await tempDir();
		const work = await tempDir();
		const first = new FileSystemTokenBackend({ tokenPath: dir });
		const second = new FileSystemTokenBackend({ tokenPath: dir });
		// A lock left by a process that died: every contender sees it stale at the same time.
		await writeFile(
			lockFileOf(first),
			JSON.stringify({
				pid: 2 ** 22 + 7,
				host: HOST,
				ownerId: "gone",
				acquiredAt: 0,
				expiresAt: Date.now() + LONG,
			}),
		);
		const children = await Promise.all([
			startFixture("lease-child.ts", dir),
			startFixture("lease-child.ts", dir),
		]);

		const rounds = 20;
		const results = await Promise.all([
			...children.map((child) => child.request(`count ${rounds} ${work}`)),
			leaseGuardedIncrements(first, rounds, work),
			leaseGuardedIncrements(second, rounds, work),
		]);
		expect(results).toEqual(["counted", "counted", true, true]);
		expect(Number(await readFile(path.join(work, "counter"), "utf8"))).toBe(4 * rounds);
		expect(await pathExists(lockFileOf(first))).toBe(false);
	});

	it("renewed, is not taken over once its original ttl has passed, and its expiresAt moves forward", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		const child = await startFixture("lease-child.ts", dir);
		const lease = await backend.acquireLease({ ttlMs: 3_000, waitMs: 0 });
		const original = lease.expiresAt;
		// Halfway through: the renewed lease then lasts 1.5 s past the original expiry.
		await delay(1_500);
		const renewing = Date.now();
		await lease.renew?.();
		expect(lease.expiresAt).toBeGreaterThanOrEqual(renewing + 3_000);
		expect((await lockContent(backend)).expiresAt).toBe(lease.expiresAt);

		await delay(original - Date.now() + 100);
		expect(await child.request(`acquire ${LONG} 0`)).toBe("error lease_timeout");
		await lease.release();
		expect(await pathExists(lockFileOf(backend))).toBe(false);
	});

	it("renewed after another process took it over, rejects with lease_lost and leaves the new holder's lock alone", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		const lease = await backend.acquireLease({ ttlMs: 300, waitMs: 0 });
		const child = await startFixture("lease-child.ts", dir);
		acquiredUntil(await child.request(`acquire ${LONG} 10000`));
		const theirs = await lockContent(backend);

		const error = await lease.renew?.().catch((reason: unknown) => reason);
		expect(error).toBeInstanceOf(TokenBackendError);
		expect(error).toMatchObject({ code: "lease_lost", backend: "fs" });
		expect((error as Error).message).toContain(`process ${child.pid}@${HOST}`);
		expect(await lockContent(backend)).toEqual(theirs);
		await lease.release();
		expect(await lockContent(backend)).toEqual(theirs);
	});

	it("renewed after its release, rejects with lease_lost", async () => {
		const backend = new FileSystemTokenBackend({ tokenPath: await tempDir() });
		const lease = await backend.acquireLease({ ttlMs: LONG, waitMs: 0 });
		await lease.release();
		await expect(lease.renew?.()).rejects.toMatchObject({ code: "lease_lost" });
		expect(await pathExists(lockFileOf(backend))).toBe(false);
	});

	it("stops waiting as soon as the signal aborts, rejecting with the signal's reason", async () => {
		const dir = await tempDir();
		const holder = await new FileSystemTokenBackend({ tokenPath: dir }).acquireLease({
			ttlMs: LONG,
			waitMs: 0,
		});
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		const controller = new AbortController();
		const reason = new Error("the user gave up");
		const waiting = backend.acquireLease({ ttlMs: LONG, waitMs: LONG, signal: controller.signal });
		const settled = waiting.catch((error: unknown) => error);
		// Let it reach its polling loop first.
		await new Promise((resolve) => setImmediate(resolve));
		controller.abort(reason);
		expect(await settled).toBe(reason); // without the abort, it would wait for 60 s

		await expect(
			backend.acquireLease({ ttlMs: LONG, waitMs: LONG, signal: AbortSignal.abort(reason) }),
		).rejects.toBe(reason);
		await holder.release();
	});

	it("rejects a ttl that is not a positive finite number, or a negative wait", async () => {
		const backend = new FileSystemTokenBackend({ tokenPath: await tempDir() });
		for (const options of [
			{ ttlMs: 0, waitMs: 0 },
			{ ttlMs: Number.POSITIVE_INFINITY, waitMs: 0 },
			{ ttlMs: Number.NaN, waitMs: 0 },
			{ ttlMs: 1_000, waitMs: -1 },
		]) {
			await expect(backend.acquireLease(options)).rejects.toMatchObject({ code: "invalid_option" });
		}
	});

	it("does not block saves: the lease and the write lock are separate files", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		const lease = await backend.acquireLease({ ttlMs: LONG, waitMs: 0 });
		backend.deserialize(cacheJson(ALICE), { changed: true });
		expect(await backend.saveToken()).toBe(true);
		expect((await readdir(dir)).sort()).toEqual(["o365_token.txt", "o365_token.txt.lock"]);
		await lease.release();
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);
	});
});
