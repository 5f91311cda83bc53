import { readdir, readFile, stat, unlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { claimPathOf, removeStaleLock } from "../src/lock-claim.js";
import { acquireLockFile, type LockFileOptions } from "../src/lock-file.js";
import { parseLockOwner } from "../src/lock-owner.js";
import { tempDir } from "./helpers.js";

const OPTIONS: LockFileOptions = { ttlMs: 60_000, waitMs: 0, backendName: "fs", label: "the test lock" };

function owner(overrides: Record<string, unknown> = {}): string {
	const now = Date.now();
	return JSON.stringify({
		pid: process.pid,
		host: os.hostname(),
		ownerId: crypto.randomUUID(),
		acquiredAt: now,
		expiresAt: now + 60_000,
		...overrides,
	});
}

describe("lock files", () => {
	it("taking over a stale lock never removes a fresh lock that replaced it meanwhile", async () => {
		const dir = await tempDir();
		const lock = path.join(dir, "token.lock");
		const staleRaw = owner({ host: "elsewhere.example", expiresAt: 0 });
		const stale = { raw: staleRaw, owner: parseLockOwner(staleRaw), mtimeMs: 0 };
		// Another waiter took over the stale lock between our read and our removal.
		const fresh = owner({ host: "elsewhere.example" });
		await writeFile(lock, fresh);

		expect(await removeStaleLock(lock, stale, "fs")).toBe(false);
		expect(await readFile(lock, "utf8")).toBe(fresh);
		expect(await readdir(dir)).toEqual(["token.lock"]); // and no claim file left behind
		await writeFile(lock, staleRaw);
		expect(await removeStaleLock(lock, stale, "fs")).toBe(true);
		expect(await readdir(dir)).toEqual([]);
		expect(await removeStaleLock(lock, stale, "fs")).toBe(true); // already gone
	});

	it("takes over a stale lock whose claim was left by a process killed while holding it", async () => {
		const dir = await tempDir();
		const lock = path.join(dir, "token.lock");
		const dead = { pid: 2 ** 22 + 7 }; // above Linux's largest pid: never alive
		const staleRaw = owner(dead);
		await writeFile(lock, staleRaw);
		await writeFile(claimPathOf(lock, JSON.parse(staleRaw).ownerId), owner(dead));

		const held = await acquireLockFile(lock, OPTIONS);
		expect(JSON.parse(await readFile(lock, "utf8"))).toMatchObject({ pid: process.pid });
		await held.release();
		expect(await readdir(dir)).toEqual([]);
	});

	it("does not take over a stale lock while another live process holds its claim", async () => {
		const dir = await tempDir();
		const lock = path.join(dir, "token.lock");
		const staleRaw = owner({ pid: 2 ** 22 + 7 });
		await writeFile(lock, staleRaw);
		const claim = claimPathOf(lock, JSON.parse(staleRaw).ownerId);
		await writeFile(claim, owner({ pid: process.ppid })); // alive: the process that started us

		await expect(acquireLockFile(lock, OPTIONS)).rejects.toMatchObject({ code: "lease_timeout" });
		expect(await readFile(lock, "utf8")).toBe(staleRaw);
		await unlink(claim); // the examiner moves on without removing it: now it can be taken over
		const held = await acquireLockFile(lock, OPTIONS);
		await held.release();
		expect(await readdir(dir)).toEqual([]);
	});

	it("respects an unreadable lock file for a few seconds, then takes it over", async () => {
		const dir = await tempDir();
		const lock = path.join(dir, "token.lock");
		await writeFile(lock, "");
		await expect(acquireLockFile(lock, OPTIONS)).rejects.toMatchObject({
			code: "lease_timeout",
			message: expect.stringContaining("an unknown holder"),
		});
		const past = new Date(Date.now() - 60_000);
		await utimes(lock, past, past);
		const held = await acquireLockFile(lock, OPTIONS);
		await held.release();
	});

	it("takes over at once a lock naming this very process that this process does not hold", async () => {
		// A process that had our pid before us (pid 1 of a restarted container, typically).
		const dir = await tempDir();
		const lock = path.join(dir, "token.lock");
		await writeFile(lock, owner());
		const held = await acquireLockFile(lock, OPTIONS);
		expect(JSON.parse(await readFile(lock, "utf8"))).toMatchObject({ pid: process.pid });
		await held.release();
		expect(await readdir(dir)).toEqual([]);
	});

	it("creates the lock's folder, owner-only, when it does not exist yet", async () => {
		const dir = await tempDir();
		const lock = path.join(dir, "new", "token.lock");
		const held = await acquireLockFile(lock, OPTIONS);
		if (process.platform !== "win32") expect((await stat(path.dirname(lock))).mode & 0o777).toBe(0o700);
		await held.release();
	});

	it("serves the callers of one process first come, first served", async () => {
		const dir = await tempDir();
		const lock = path.join(dir, "token.lock");
		const order: number[] = [];
		await Promise.all(
			[0, 1, 2, 3, 4].map(async (index) => {
				const held = await acquireLockFile(lock, { ...OPTIONS, waitMs: 10_000 });
				order.push(index);
				await held.release();
			}),
		);
		expect(order).toEqual([0, 1, 2, 3, 4]);
	});
});
