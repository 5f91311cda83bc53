import { BaseTokenBackend, type VersionedValue } from "@o365/core";
import { describe, expect, it } from "vitest";
import { ONE_ACCOUNT_CACHE as CACHE } from "./helpers/one-account-cache.js";

/** Keeps the value in a Map and answers a missing key with `null`, as ioredis and node-redis `get` do. */
class NullForMissingBackend extends BaseTokenBackend {
	readonly name = "null-for-missing";
	readonly store = new Map<string, string>();

	async read(): Promise<string | null> {
		return this.store.get("token") ?? null;
	}
	async write(value: string): Promise<void> {
		this.store.set("token", value);
	}
	async remove(): Promise<boolean> {
		return this.store.delete("token");
	}
	async exists(): Promise<boolean> {
		return this.store.has("token");
	}
}

/** The same store with compare-and-set, whose `readVersioned` also answers a missing key with `null`. */
class NullForMissingVersionedBackend extends NullForMissingBackend {
	version = 0;

	override async write(value: string): Promise<void> {
		await super.write(value);
		this.version += 1;
	}
	override async readVersioned(): Promise<VersionedValue | null> {
		const value = this.store.get("token");
		return value === undefined ? null : { value, version: String(this.version) };
	}
	override async writeIfVersion(value: string, expectedVersion: string | null): Promise<string | undefined> {
		const current = this.store.has("token") ? String(this.version) : null;
		if (current !== expectedVersion) return undefined;
		await this.write(value);
		return String(this.version);
	}
}

describe("a backend whose read() returns null for nothing stored", () => {
	for (const Backend of [NullForMissingBackend, NullForMissingVersionedBackend]) {
		it(`${Backend.name}: null is nothing stored for load, check, save and delete`, async () => {
			const backend = new Backend();
			expect(await backend.loadToken(), "loadToken() when read() returns null").toBe(false);
			expect(backend.hasData, "hasData after loading nothing").toBe(false);
			expect(await backend.checkToken(), "checkToken() on an empty store").toBe(false);

			backend.deserialize(CACHE, { changed: true });
			expect(await backend.saveToken(), "the first save over nothing stored").toBe(true);
			const reader = new Backend();
			reader.store.set("token", backend.store.get("token") ?? "");
			expect(await reader.loadToken(), "loadToken() after a save").toBe(true);
			expect(reader.getAccount({ username: "adele@contoso.test" }), "the saved account").toBeDefined();

			expect(await backend.deleteToken(), "deleteToken() of the stored value").toBe(true);
			expect(await backend.loadToken(), "loadToken() after deleteToken()").toBe(false);
			expect(backend.hasData, "a load that finds nothing leaves the in-memory cache").toBe(true);
		});
	}
});
