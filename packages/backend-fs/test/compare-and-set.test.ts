import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { startFixture } from "./child-process.js";
import { ALICE, BOB, cacheJson, tempDir, testUser } from "./helpers.js";

const CAROL = testUser("carol@contoso.onmicrosoft.com");
const DAVE = testUser("dave@contoso.onmicrosoft.com");

function usernames(backend: FileSystemTokenBackend): string[] {
	return backend.getAllAccounts().map((account) => account.username);
}

describe("compare-and-set (readVersioned / writeIfVersion)", () => {
	it("versions the file by the SHA-256 of its bytes; nothing stored is undefined", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		expect(await backend.readVersioned()).toBeUndefined();

		await writeFile(backend.tokenFile, "one");
		const sha = createHash("sha256").update("one").digest("base64url");
		expect(await backend.readVersioned()).toEqual({ value: "one", version: `sha256:${sha}` });
		await backend.write("two");
		expect((await backend.readVersioned())?.version).not.toBe(`sha256:${sha}`);
	});

	it("writes over the version it was given, and returns the version it wrote", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		const first = await backend.writeIfVersion("one", null);
		expect(first).toEqual((await backend.readVersioned())?.version);
		const second = await backend.writeIfVersion("two", first ?? "");
		expect(second).toBeDefined();
		expect(await backend.readVersioned()).toEqual({ value: "two", version: second });
		expect(await readdir(dir)).toEqual(["o365_token.txt"]);
	});

	it("refuses a stale version and writes nothing", async () => {
		const dir = await tempDir();
		const slow = new FileSystemTokenBackend({ tokenPath: dir });
		const fast = new FileSystemTokenBackend({ tokenPath: dir });
		const base = await slow.writeIfVersion("base", null);
		expect(await fast.writeIfVersion("theirs", base ?? "")).toBeDefined();

		expect(await slow.writeIfVersion("ours", base ?? "")).toBeUndefined();
		expect(await slow.writeIfVersion("ours", null)).toBeUndefined(); // "only if nothing is stored"
		expect(await readFile(slow.tokenFile, "utf8")).toBe("theirs");
		await slow.remove();
		expect(await slow.writeIfVersion("ours", base ?? "")).toBeUndefined(); // removed: not base either
		expect(await slow.exists()).toBe(false);
	});

	it("of two processes writing over the same version at once, exactly one wins", async () => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		const base = (await backend.writeIfVersion("base", null)) ?? "";
		const children = await Promise.all([
			startFixture("lease-child.ts", dir),
			startFixture("lease-child.ts", dir),
		]);
		for (const child of children) expect(await child.request("read")).toBe(`version ${base}`);

		const answers = await Promise.all([
			...children.map((child, index) => child.request(`cas ${base} child-${index}`)),
			backend.writeIfVersion("parent", base).then((version) => `cas ${version ?? "stale"}`),
		]);
		const winners = answers.filter((answer) => answer !== "cas stale");
		expect(winners).toHaveLength(1);
		const stored = await backend.readVersioned();
		expect(winners[0]).toBe(`cas ${stored?.version}`);
		expect(["child-0", "child-1", "parent"]).toContain(stored?.value);
	});

	it("saveToken from two instances that each added a user stores both users (merge on conflict)", async () => {
		const dir = await tempDir();
		const seed = new FileSystemTokenBackend({ tokenPath: dir });
		seed.deserialize(cacheJson(ALICE), { changed: true });
		await seed.saveToken();

		const first = new FileSystemTokenBackend({ tokenPath: dir });
		const second = new FileSystemTokenBackend({ tokenPath: dir });
		await first.loadToken();
		await second.loadToken();
		first.deserialize(cacheJson(ALICE, BOB), { changed: true });
		second.deserialize(cacheJson(ALICE, CAROL), { changed: true });
		await Promise.all([first.saveToken(), second.saveToken()]);

		const reader = new FileSystemTokenBackend({ tokenPath: dir });
		await reader.loadToken();
		expect(usernames(reader)).toEqual([ALICE.username, BOB.username, CAROL.username]);
	});

	it("saveToken in two processes that each added a user stores both users", async () => {
		const dir = await tempDir();
		const seed = new FileSystemTokenBackend({ tokenPath: dir });
		seed.deserialize(cacheJson(ALICE), { changed: true });
		await seed.saveToken();
		const children = await Promise.all([
			startFixture("lease-child.ts", dir),
			startFixture("lease-child.ts", dir),
		]);
		// Both load the same version before either saves, so one of them must merge.
		expect(await children[0]?.request(`add ${CAROL.username}`)).toBe("loaded");
		expect(await children[1]?.request(`add ${DAVE.username}`)).toBe("loaded");
		expect(await Promise.all(children.map((child) => child.request("go")))).toEqual(["saved", "saved"]);

		const reader = new FileSystemTokenBackend({ tokenPath: dir });
		await reader.loadToken();
		expect(usernames(reader)).toEqual([ALICE.username, CAROL.username, DAVE.username]);
	});

	it.each([
		["write()", (backend: FileSystemTokenBackend) => backend.write("mine")],
		["writeIfVersion()", (backend: FileSystemTokenBackend) => backend.writeIfVersion("mine", "stored")],
		["remove()", (backend: FileSystemTokenBackend) => backend.remove()],
	])("%s waits for the write lock (<token file>.write.lock) held by another writer", async (_, call) => {
		const dir = await tempDir();
		const backend = new FileSystemTokenBackend({ tokenPath: dir });
		await backend.write("stored");
		// Another writer, on a host whose pids cannot be checked, holds the write lock for 300 ms.
		const expiresAt = Date.now() + 300;
		await writeFile(
			`${backend.tokenFile}.write.lock`,
			JSON.stringify({
				pid: 1,
				host: "elsewhere.example",
				ownerId: "other",
				acquiredAt: Date.now(),
				expiresAt,
			}),
		);
		await call(backend);
		expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
		expect((await readdir(dir)).filter((name) => name.endsWith(".lock"))).toEqual([]);
	});
});
