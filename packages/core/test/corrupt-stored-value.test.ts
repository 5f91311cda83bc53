import { EnvTokenBackend, MemoryTokenBackend, MemoryTokenStore, TokenBackendError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { ONE_ACCOUNT_CACHE as CACHE } from "./helpers/one-account-cache.js";

const GARBAGE = '{"Account": {"evidence-marker-3F';

async function rejection(action: Promise<unknown>): Promise<TokenBackendError> {
	const error = await action.then(
		() => undefined,
		(caught: unknown) => caught,
	);
	expect(error, "the call must reject with a TokenBackendError").toBeInstanceOf(TokenBackendError);
	return error as TokenBackendError;
}

describe("a corrupt stored value on a backend without quarantine()", () => {
	it("compare-and-set (memory): loadToken reports it, and saveToken refuses to write over it", async () => {
		const store = new MemoryTokenStore();
		const backend = new MemoryTokenBackend({ store });
		await backend.write(GARBAGE);

		const loadError = await rejection(backend.loadToken());
		expect(loadError.code, "loadToken() of a corrupt value").toBe("backend_corrupt");
		expect(loadError.message, "the load error says how to recover").toMatch(/deleteToken\(\)/);

		backend.deserialize(CACHE, { changed: true }); // a sign-in
		const saveError = await rejection(backend.saveToken());
		expect(saveError.code, "saveToken() over a corrupt value").toBe("backend_corrupt");
		expect(saveError.message, "the save error says nothing was written").toMatch(/left in place/);
		expect(saveError.message, "the save error never shows the value").not.toContain("evidence-marker-3F");
		expect(store.value, "the corrupt value is still stored").toBe(GARBAGE);
		expect(backend.hasStateChanged, "the unsaved sign-in is kept for the next save").toBe(true);

		expect(await backend.deleteToken(), "deleteToken() removes the corrupt value").toBe(true);
		expect(await backend.saveToken(), "after deleteToken() the save goes through").toBe(true);
		const reader = new MemoryTokenBackend({ store });
		expect(await reader.loadToken(), "the saved cache loads").toBe(true);
	});

	it("compare-and-set (memory): another process's garbage is not overwritten by a save that merges", async () => {
		const store = new MemoryTokenStore();
		const backend = new MemoryTokenBackend({ store });
		backend.deserialize(CACHE, { changed: true });
		await backend.saveToken();
		await new MemoryTokenBackend({ store }).write(GARBAGE); // written after our load

		backend.removeData({ username: "adele@contoso.test" });
		const error = await rejection(backend.saveToken());
		expect(error.code, "a conflicting save that finds a corrupt value").toBe("backend_corrupt");
		expect(store.value, "the corrupt value is still stored").toBe(GARBAGE);
	});

	it("plain write (env): a save from an instance that never loaded does not write over it", async () => {
		const env: NodeJS.ProcessEnv = { O365TOKEN: GARBAGE };
		const backend = new EnvTokenBackend({ env });
		backend.deserialize(CACHE, { changed: true });
		const error = await rejection(backend.saveToken());
		expect(error.code, "saveToken() over a corrupt value").toBe("backend_corrupt");
		expect(env.O365TOKEN, "the corrupt value is still stored").toBe(GARBAGE);

		await backend.deleteToken();
		expect(await backend.saveToken(), "after deleteToken() the save goes through").toBe(true);
		expect(JSON.parse(env.O365TOKEN ?? ""), "the saved cache").toEqual(JSON.parse(CACHE));
	});
});

describe("a corrupt stored value on a backend with quarantine()", () => {
	/** Moves the value to a second slot, as backend-fs renames the file aside. */
	class QuarantiningBackend extends MemoryTokenBackend {
		aside: string[] = [];
		override async quarantine(): Promise<string | undefined> {
			const value = await this.read();
			if (value === undefined) return undefined;
			this.aside.push(value);
			await this.remove();
			return "the aside slot";
		}
	}

	it("saveToken moves it aside, then saves over nothing", async () => {
		const store = new MemoryTokenStore();
		const backend = new QuarantiningBackend({ store });
		await backend.write(GARBAGE);
		backend.deserialize(CACHE, { changed: true });
		expect(await backend.saveToken(), "the save after moving the value aside").toBe(true);
		expect(backend.aside, "the corrupt value was kept aside").toEqual([GARBAGE]);
		expect(JSON.parse(store.value ?? ""), "the saved cache").toEqual(JSON.parse(CACHE));
	});

	it("a value saved by another process while the corrupt one was moved aside is merged, not overwritten", async () => {
		const store = new MemoryTokenStore();
		const other = JSON.parse(CACHE);
		other.Account["megan.tid-login.idp.test-tid"] = {
			...other.Account["oid.tid-login.idp.test-tid"],
			home_account_id: "megan.tid",
			local_account_id: "megan",
			username: "megan@contoso.test",
		};
		class RacingBackend extends QuarantiningBackend {
			override async quarantine(): Promise<string | undefined> {
				const movedTo = await super.quarantine();
				store.value = JSON.stringify(other); // another process saves right after the move
				store.version += 1;
				return movedTo;
			}
		}
		const backend = new RacingBackend({ store });
		await backend.write(GARBAGE);
		const mine = JSON.parse(CACHE);
		mine.Account = {
			"x.tid-login.idp.test-tid": {
				...other.Account["oid.tid-login.idp.test-tid"],
				home_account_id: "x.tid",
				username: "x@contoso.test",
			},
		};
		backend.deserialize(JSON.stringify(mine), { changed: true });
		expect(await backend.saveToken(), "the save").toBe(true);
		const reader = new MemoryTokenBackend({ store });
		await reader.loadToken();
		expect(
			reader.getAllAccounts().map((account) => account.username),
			"both the other process's users and ours",
		).toEqual(["adele@contoso.test", "megan@contoso.test", "x@contoso.test"]);
	});
});
