import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { msalCacheFixture } from "@o365/backend-test-suite";
import { TokenBackendError } from "@o365/core";
import { afterAll, describe, expect, it } from "vitest";
import { RedisTokenBackend } from "../src/index.js";
import {
	CLIENT_LIBRARIES,
	deleteKeys,
	inspector,
	openClient,
	redisUrl,
	uniquePrefix,
} from "./helpers/clients.js";

// The README's ACL line, as a Redis user: everything the backend does works with exactly these
// permissions (plus what the client itself sends on connecting), and a missing one is NOPERM.
const BACKEND_COMMANDS = "+get +set +del +exists +eval +pexpire +rename";
const CLIENT_HANDSHAKE = "+info +ping +client +hello";

describe.each(CLIENT_LIBRARIES)("permissions (%s)", (library) => {
	const keyPrefix = uniquePrefix();
	const admin = inspector();
	const users: string[] = [];
	afterAll(async () => {
		for (const user of users) await admin.call("ACL", "DELUSER", user);
		await deleteKeys(admin, keyPrefix);
		admin.disconnect();
	});

	async function backendAs(commands: string) {
		const user = `o365-test-${randomUUID()}`;
		const password = randomUUID();
		users.push(user);
		await admin.call(
			"ACL",
			"SETUSER",
			user,
			"on",
			`>${password}`,
			`~${keyPrefix}*`,
			...`${commands} ${CLIENT_HANDSHAKE}`.split(" "),
		);
		const url = new URL(redisUrl());
		url.username = user;
		url.password = password;
		const opened = await openClient(library, url.href);
		return {
			backend: new RedisTokenBackend({ client: opened.client, keyPrefix, key: "acl", timeoutMs: 5_000 }),
			...opened,
			password,
		};
	}

	it("the README's ACL commands are enough for every capability", async () => {
		const { backend, close } = await backendAs(BACKEND_COMMANDS);
		try {
			backend.deserialize(msalCacheFixture({ users: 1 }).json, { changed: true });
			expect(await backend.saveToken()).toBe(true);
			expect(await backend.loadToken()).toBe(true);
			expect(await backend.checkToken()).toBe(true);
			const lease = await backend.acquireLease({ ttlMs: 5_000, waitMs: 0 });
			await lease.renew?.();
			await lease.release();
			await admin.set(`${keyPrefix}{acl}`, "garbled");
			await expect(backend.loadToken()).rejects.toMatchObject({ code: "backend_corrupt" });
			expect(await admin.keys(`${keyPrefix}{acl}.corrupt-*`)).toHaveLength(1);
			expect(await backend.deleteToken()).toBe(false);
		} finally {
			await close();
		}
	});

	it("a user without EVAL gets backend_io saying NOPERM and what to allow, never the password", async () => {
		const { backend, close, password } = await backendAs("+get +set +del +exists");
		try {
			const cache = msalCacheFixture({ users: 1 });
			backend.deserialize(cache.json, { changed: true });
			// The driver's error carries the EVAL arguments (the value); core keeps only a redacted copy.
			const error = await backend.saveToken().catch((rejection: unknown) => rejection);
			expect(error).toBeInstanceOf(TokenBackendError);
			expect((error as TokenBackendError).code).toBe("backend_io");
			expect(String(error)).toContain("NOPERM");
			expect(String(error)).toContain("Allow GET, SET, DEL, EXISTS, EVAL, PEXPIRE and RENAME");
			const everything = inspect(error, { depth: 10, showHidden: true }) + JSON.stringify(error);
			expect(everything).not.toContain(password);
			expect(everything, "the token is nowhere in the error or its cause").not.toContain(
				cache.users[0]?.refreshToken,
			);
		} finally {
			await close();
		}
	});
});
