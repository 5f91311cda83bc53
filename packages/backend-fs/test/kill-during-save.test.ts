import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { FixtureProcess } from "./child-process.js";
import { cacheJson, tempDir, testUser } from "./helpers.js";

const TRIALS = 200;
/** Children started ahead of their trial, so that their start-up (~0.5 s) overlaps earlier trials. */
const STARTED_AHEAD = 2;
/**
 * A save that had to wait out the write lock's ttl would take 10 s; dead-pid takeover takes none.
 * Half of that leaves room for a loaded CI machine.
 */
const MAX_FIRST_SAVE_MS = 5_000;
/**
 * Only a hang guard: the trials took 195 s and 233 s in two clean-clone CI runs (each child is a
 * `node --import tsx` start-up, ~1 s on a loaded 2-core machine), 65-78 % of the 300 s it had.
 */
const TIMEOUT_MS = 600_000;

/**
 * A ~300 KiB MSAL token-cache document for one of two users. The two differ throughout (user, ids,
 * and the long access-token secret), so any mix of them is visible.
 */
function largeDocument(variant: "A" | "B"): string {
	const marker = `kill-${variant}-`;
	const padding = marker.repeat(Math.ceil((300 * 1024) / marker.length));
	return cacheJson(testUser(`kill-${variant.toLowerCase()}@contoso.onmicrosoft.com`, padding));
}

/** What a backend stores for a document: the exact text a complete save leaves in the file. */
function stored(document: string): string {
	const backend = new FileSystemTokenBackend({ tokenPath: "." });
	backend.deserialize(document);
	return backend.serialize();
}

/**
 * Hidden leftovers of killed writers: temporary token files, lock staging files, claims on a lock
 * (`.<lock>.<hash>.claim`, claims on a claim, and their staging files).
 */
const STRAY =
	/^\.o365_token\.txt\.(\d+\.[0-9a-f]+\.tmp|(write\.)?lock\.[0-9a-f-]+\.tmp)$|^\.+o365_token\.txt\.(write\.)?lock(\.[\w-]{16}\.claim)+(\.[0-9a-f-]{36}\.tmp)?$/;

describe("kill -9 in the middle of saves", () => {
	it(`${TRIALS} savers killed at a random moment leave the old or the new token, never a mix, and never block the next process`, {
		timeout: TIMEOUT_MS,
	}, async () => {
		const dir = await tempDir();
		const [documentA, documentB] = [largeDocument("A"), largeDocument("B")];
		// The documents' secrets are random: every child reads these very ones from a file.
		const documentsFile = path.join(await tempDir(), "documents.json");
		await writeFile(documentsFile, JSON.stringify([documentA, documentB]));
		const values = new Map([
			[stored(documentA), "kill-a@contoso.onmicrosoft.com"],
			[stored(documentB), "kill-b@contoso.onmicrosoft.com"],
		]);
		const seed = new FileSystemTokenBackend({ tokenPath: dir });
		seed.deserialize(documentB, { changed: true });
		await seed.saveToken();

		const started = performance.now();
		const ahead: FixtureProcess[] = [];
		const startNext = () => ahead.push(new FixtureProcess("save-loop-child.ts", [dir, documentsFile]));
		for (let index = 0; index < STARTED_AHEAD; index++) startNext();
		let midWrite = 0;
		let lockLeft = 0;
		let slowestFirstSave = 0;
		let expectedUser = "kill-b@contoso.onmicrosoft.com";
		for (let trial = 0; trial < TRIALS; trial++) {
			const child = ahead.shift() as FixtureProcess;
			if (trial + ahead.length + 1 < TRIALS) startNext();
			await child.waitForLine((line) => line === "ready");
			child.send("go");

			// The previous child was killed: this one loads what it left, without help.
			const loaded = await child.waitForLine((line) => /^(loaded|load-failed)/.test(line));
			expect(loaded, child.stderr).toMatch(new RegExp(`^loaded \\d+ ${expectedUser}$`));
			// Its first save also gets past any write lock the killed child held.
			const firstSave = await child.waitForLine(
				(line) => line.startsWith("saved") || line.startsWith("<closed"),
			);
			const firstSaveMs = Number(firstSave.split(" ")[1]);
			expect(firstSaveMs, `${firstSave} ${child.stderr}`).toBeLessThan(MAX_FIRST_SAVE_MS);
			slowestFirstSave = Math.max(slowestFirstSave, firstSaveMs);

			await delay(Math.random() * 30);
			await child.kill("SIGKILL");
			await child.closed;
			if (child.lines.at(-1) === "writing") midWrite++;
			if ((await readdir(dir)).includes("o365_token.txt.write.lock")) lockLeft++;

			const text = await readFile(`${dir}/o365_token.txt`, "utf8");
			const user = values.get(text);
			expect(user, `trial ${trial}: the file is neither document (${text.length} chars)`).toBeDefined();
			expectedUser = user as string;
		}
		const elapsed = performance.now() - started;

		// Once more, in this process: load and save, with whatever the last child left behind.
		const next = new FileSystemTokenBackend({ tokenPath: dir });
		expect(await next.loadToken()).toBe(true);
		const saving = performance.now();
		expect(await next.saveToken({ force: true })).toBe(true);
		const lastSaveMs = performance.now() - saving;
		expect(lastSaveMs).toBeLessThan(MAX_FIRST_SAVE_MS);
		const leftovers = (await readdir(dir)).filter((name) => name !== "o365_token.txt");
		expect(leftovers.filter((name) => !STRAY.test(name))).toEqual([]);

		console.log(
			`kill -9 during saves: ${TRIALS} trials in ${(elapsed / 1000).toFixed(1)} s ` +
				`(${(elapsed / TRIALS).toFixed(0)} ms each); killed mid-write ${midWrite}/${TRIALS}; ` +
				`write lock left behind ${lockLeft}/${TRIALS}, slowest first save after a kill ${slowestFirstSave} ms; ` +
				`stray hidden files left ${leftovers.length}; final load+save ${lastSaveMs.toFixed(0)} ms`,
		);
		expect(midWrite).toBeGreaterThan(0);
	});
});
