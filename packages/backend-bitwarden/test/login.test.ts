import { BitwardenClient } from "@bitwarden/sdk-napi";
import { expectO365Error } from "@o365/backend-test-suite";
import { describe, expect, it } from "vitest";
import { BitwardenSecretsManagerBackend } from "../src/index.js";
import { makeAccessToken, startFakeBitwardenServer } from "../src/testing/fake-bitwarden-server.js";
import { useFakeBitwarden } from "./fake-server-fixture.js";

const fake = useFakeBitwarden();
const logins = () => fake.server.requests.filter((r) => r.path === "/identity/connect/token").length;

describe("login", () => {
	it("new makes no request; the first call logs in", async () => {
		const before = fake.server.requests.length;
		const backend = fake.backend();
		expect(fake.server.requests.length, "requests sent by new").toBe(before);
		await backend.read();
		expect(fake.server.requests[before]?.path, "the first request").toBe("/identity/connect/token");
	});

	it("10 concurrent first calls share one login", async () => {
		const backend = fake.backend();
		const before = logins();
		await Promise.all(Array.from({ length: 10 }, () => backend.exists()));
		expect(logins() - before).toBe(1);
		await backend.read();
		expect(logins() - before, "later calls reuse the login").toBe(1);
	});

	it("a refused login is a typed error, and the next call logs in again", async () => {
		const accessToken = makeAccessToken();
		const backend = fake.backend({ accessToken: accessToken.token });
		const error = await backend.read().catch((e: unknown) => e);
		expectO365Error(error, ["backend_invalid_config"], "a login with an unknown access token");
		expect((error as Error).message).toMatch(/refused the access token/);
		fake.server.accessTokens.push(accessToken); // the machine account's token is now valid
		await expect(backend.read()).resolves.toBeUndefined();
	});

	it("logs in your own BitwardenClient on first use, once", async () => {
		const client = new BitwardenClient({ apiUrl: fake.server.apiUrl, identityUrl: fake.server.identityUrl });
		const backend = new BitwardenSecretsManagerBackend({
			accessToken: fake.accessToken.token,
			secretId: fake.secretId,
			client,
		});
		const before = logins();
		await backend.write("through your client");
		await backend.read();
		expect(logins() - before).toBe(1);
		expect(await fake.backend().read()).toBe("through your client");
	});

	it("a session about to expire is renewed by the SDK itself: the backend's one login lasts", async () => {
		const accessToken = makeAccessToken();
		const server = await startFakeBitwardenServer({ accessTokens: [accessToken], sessionSeconds: 1 });
		try {
			const backend = new BitwardenSecretsManagerBackend({
				accessToken: accessToken.token,
				organizationId: server.organizationId,
				apiUrl: server.apiUrl,
				identityUrl: server.identityUrl,
			});
			await backend.write("one");
			await backend.write("two");
			expect(await backend.read()).toBe("two");
			const tokenRequests = server.requests.filter((r) => r.path === "/identity/connect/token").length;
			expect(tokenRequests, "sessions the SDK renewed on its own").toBeGreaterThan(1);
		} finally {
			await server.close();
		}
	});
});
