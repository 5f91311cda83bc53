import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrismaTokenBackend } from "@o365/backend-prisma";
import type { TokenBackend } from "@o365/core";
import { createPostgresStore, postgresClient, runFleet } from "@o365/integration-tests";
import { median } from "./measure.js";

/** A realistic one-user MSAL cache (about 4 KB), as a web app stores per user. */
export function userCache(n: number): string {
	const id = `oid-${n}.tid`;
	const secret = (label: string) => `${label}-${n}-${"x".repeat(1200)}`;
	const now = Math.floor(Date.now() / 1000);
	return JSON.stringify({
		Account: {
			[`${id}-login.idp.test-tid`]: {
				home_account_id: id,
				environment: "login.idp.test",
				realm: "tid",
				local_account_id: `oid-${n}`,
				username: `user${n}@contoso.test`,
				authority_type: "MSSTS",
			},
		},
		IdToken: {
			[`${id}-idtoken`]: {
				home_account_id: id,
				environment: "login.idp.test",
				credential_type: "IdToken",
				client_id: "app",
				realm: "tid",
				secret: secret("id"),
			},
		},
		AccessToken: {
			[`${id}-accesstoken`]: {
				home_account_id: id,
				environment: "login.idp.test",
				credential_type: "AccessToken",
				client_id: "app",
				realm: "tid",
				target: "https://graph.microsoft.com/User.Read",
				secret: secret("at"),
				cached_at: String(now),
				expires_on: String(now + 3600),
			},
		},
		RefreshToken: {
			[`${id}-refreshtoken`]: {
				home_account_id: id,
				environment: "login.idp.test",
				credential_type: "RefreshToken",
				client_id: "app",
				secret: secret("rt"),
			},
		},
		AppMetadata: {},
	});
}

/**
 * A save of one user's token with 10,000 users' tokens stored in PostgreSQL ÷ the same save with
 * one user stored; rounds alternate between the two databases so load affects both alike.
 */
/**
 * Median save time of `large` ÷ that of `small`, over `rounds` interleaved saves of a changed
 * one-user cache: what the other stored users cost a save.
 */
export async function saveRatio(
	[small, large]: readonly [TokenBackend, TokenBackend],
	rounds: number,
): Promise<number> {
	const times: [number[], number[]] = [[], []];
	for (let round = 0; round < rounds; round += 1) {
		for (const [side, backend] of [small, large].entries()) {
			backend.deserialize(userCache(round), { changed: true });
			const start = performance.now();
			await backend.saveToken();
			times[side as 0 | 1].push(performance.now() - start);
		}
	}
	return median(times[1]) / median(times[0]);
}

export async function measureSaveRatio(serverUrl: string, rounds = 200): Promise<number> {
	const small = await createPostgresStore(serverUrl);
	const large = await createPostgresStore(serverUrl);
	const clients = [postgresClient(small.url), postgresClient(large.url)] as const;
	try {
		for (let n = 0; n < 10_000; n += 100) {
			await clients[1].$executeRawUnsafe(
				`INSERT INTO o365_token (id, value, version, updated_at) SELECT 'user-' || n, $1, 1, now() FROM generate_series(${n + 1}, ${n + 100}) AS n`,
				userCache(n),
			);
		}
		const backends = clients.map((prisma) => new PrismaTokenBackend({ prisma, key: "user-0" }));
		return await saveRatio(backends as [PrismaTokenBackend, PrismaTokenBackend], rounds);
	} finally {
		await Promise.all(clients.map((client) => client.$disconnect()));
		await small.drop();
		await large.drop();
	}
}

/** Token requests per access-token expiry for 8 processes sharing one store. */
export async function measureFleet(serverUrl: string): Promise<{ fs: number; postgres: number }> {
	const dir = await mkdtemp(join(tmpdir(), "o365-bench-fleet-"));
	const database = await createPostgresStore(serverUrl);
	try {
		const fs = await runFleet({ store: { kind: "fs", tokenPath: dir } });
		const postgres = await runFleet({
			store: { kind: "prisma-postgres", url: database.url, key: "fleet-user" },
		});
		return { fs: fs.tokenRequestsPerExpiry, postgres: postgres.tokenRequestsPerExpiry };
	} finally {
		await rm(dir, { recursive: true, force: true });
		await database.drop();
	}
}
