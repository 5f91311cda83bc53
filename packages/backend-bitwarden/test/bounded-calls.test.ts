import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expectO365Error, msalCacheFixture } from "@o365/backend-test-suite";
import { describe, expect, it } from "vitest";
import { useFakeBitwarden } from "./fake-server-fixture.js";

const fake = useFakeBitwarden();

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
	const server = http.createServer().listen(0, "127.0.0.1");
	await once(server, "listening");
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

describe("every call is bounded", () => {
	it("a server that never answers: the call rejects with backend_io once timeoutMs has passed", async () => {
		const backend = fake.backend({ timeoutMs: 300 });
		await backend.read(); // logged in
		const release = fake.server.stall();
		try {
			const error = await backend.read().catch((e: unknown) => e);
			expectO365Error(error, ["backend_io"], "a read from a stalled server");
			expect((error as Error).message).toContain("timed out after 300 ms");
		} finally {
			release();
		}
	});

	it("a login that never completes is bounded the same way", async () => {
		const release = fake.server.stall();
		try {
			const error = await fake
				.backend({ timeoutMs: 300 })
				.exists()
				.catch((e: unknown) => e);
			expectO365Error(error, ["backend_io"], "a stalled login");
			expect((error as Error).message).toContain("while logging in");
		} finally {
			release();
		}
	});

	it("the caller's AbortSignal ends a waiting call with its reason", async () => {
		const backend = fake.backend();
		await backend.read();
		const release = fake.server.stall();
		try {
			const controller = new AbortController();
			const reason = new Error("the caller gave up");
			const reading = backend.read({ signal: controller.signal });
			await fake.server.requestArrived();
			controller.abort(reason);
			await expect(reading).rejects.toBe(reason);
		} finally {
			release();
		}
	});

	it("an already-aborted signal sends nothing", async () => {
		const backend = fake.backend();
		const before = fake.server.requests.length;
		const reason = new Error("already aborted");
		await expect(backend.write("never", { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
		expect(fake.server.requests.length).toBe(before);
	});

	it("an unreachable server is a typed error that names the problem", async () => {
		const port = await closedPort();
		const backend = fake.backend({
			apiUrl: `http://127.0.0.1:${port}/api`,
			identityUrl: `http://127.0.0.1:${port}/identity`,
		});
		const error = await backend.read().catch((e: unknown) => e);
		expectO365Error(error, ["backend_io"], "a server that refuses connections");
		expect((error as Error).message).toMatch(/could not be reached/);
	});

	it("a write that timed out holds this process's later writes back until it has landed", async () => {
		const backend = fake.backend({ timeoutMs: 300 });
		await backend.write("first");
		let held = 0;
		const release = fake.server.stall((request) => request.method === "PUT" && held++ === 0);
		try {
			const abandoned = await backend.write("abandoned").catch((e: unknown) => e);
			expectO365Error(abandoned, ["backend_io"], "the timed-out write");
			// Its PUT is still on the wire: a later write must not overtake it, or the stale value
			// would land last. The later write waits (bounded by its own timeout) and sends nothing.
			const before = fake.server.requests.length;
			const later = await fake
				.backend({ timeoutMs: 300 })
				.write("later")
				.catch((e: unknown) => e);
			expectO365Error(later, ["backend_io"], "a write queued behind a write still on the wire");
			expect((later as Error).message).toMatch(
				/behind an earlier change of this process to the same secret that is still running/,
			);
			expect(fake.server.requests.length, "requests sent by the queued write").toBe(before);
		} finally {
			release(); // the abandoned PUT lands now
		}
		await fake.backend().write("last");
		expect(await fake.backend().read()).toBe("last");
	});
});

describe("an outage in the middle of a save", () => {
	it("the save fails typed, the tokens stay in memory, and the next save after the outage stores them", async () => {
		const backend = fake.backend();
		await backend.remove();
		const fixture = msalCacheFixture({ users: 1 });
		backend.deserialize(fixture.json, { changed: true });
		fake.server.failWith(503);
		try {
			const error = await backend.saveToken().catch((e: unknown) => e);
			expectO365Error(error, ["backend_io"], "a save during an outage");
		} finally {
			fake.server.failWith(undefined);
		}
		expect(backend.getRefreshToken()?.secret, "the refresh token is still in memory").toBe(
			fixture.users[0]?.refreshToken,
		);
		expect(backend.hasStateChanged, "still marked unsaved").toBe(true);
		await backend.saveToken();
		const reader = fake.backend();
		expect(await reader.loadToken()).toBe(true);
		expect(reader.getRefreshToken()?.secret).toBe(fixture.users[0]?.refreshToken);
	});
});
