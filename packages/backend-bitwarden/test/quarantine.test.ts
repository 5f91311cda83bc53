import { expectO365Error, msalCacheFixture } from "@o365/backend-test-suite";
import { describe, expect, it } from "vitest";
import { useFakeBitwarden } from "./fake-server-fixture.js";

const fake = useFakeBitwarden();

describe("an unreadable value is moved aside", () => {
	it("to a new secret in the same place; the token secret is then empty and the next save works", async () => {
		const unreadable = "a placeholder typed into the web vault";
		await fake.backend().write(unreadable);
		const secrets = fake.server.secrets.size;

		const backend = fake.backend();
		const error = await backend.loadToken().catch((e: unknown) => e);
		expectO365Error(error, ["backend_corrupt"], "loading a value that is not a token cache");
		const moved = /moved aside to bitwarden:secret\/([0-9a-f-]{36}) \("o365-token\.corrupt-[^"]+"\)/.exec(
			(error as Error).message,
		);
		expect(moved, (error as Error).message).not.toBeNull();
		expect(fake.server.secrets.size, "one secret added").toBe(secrets + 1);
		expect(await fake.backend({ secretId: moved?.[1] }).read(), "the evidence, kept").toBe(unreadable);
		expect(await fake.backend().exists(), "the token secret is empty").toBe(false);

		const fixture = msalCacheFixture({ users: 1 });
		backend.deserialize(fixture.json, { changed: true });
		await backend.saveToken();
		const reader = fake.backend();
		expect(await reader.loadToken()).toBe(true);
		expect(reader.getRefreshToken()?.secret).toBe(fixture.users[0]?.refreshToken);
	});

	it("never a value that changed since it was read", async () => {
		const backend = fake.backend();
		await backend.write("first");
		await backend.readVersioned();
		await fake.backend().write("saved meanwhile by another instance");
		const secrets = fake.server.secrets.size;
		expect(await backend.quarantine()).toBeUndefined();
		expect(fake.server.secrets.size, "nothing created").toBe(secrets);
		expect(await fake.backend().read()).toBe("saved meanwhile by another instance");
	});
});
