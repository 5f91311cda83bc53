import { inspect } from "node:util";
import { msalCacheFixture } from "@o365/backend-test-suite";
import { TokenBackendError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { PrismaTokenBackend } from "../src/index.js";
import { openSqlite } from "./helpers/databases.js";
import { useDatabase } from "./helpers/use-database.js";

/** Every text an error exposes: inspect with hidden fields, JSON, and each message in the chain. */
function everythingIn(error: unknown): string {
	const parts = [
		inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
		JSON.stringify(error),
	];
	for (let current: unknown = error, depth = 0; current instanceof Error && depth < 10; depth += 1) {
		parts.push(current.message, current.stack ?? "", JSON.stringify(current));
		current = current.cause;
	}
	return parts.join("\n");
}

describe("PrismaTokenBackend on SQLite: no secret in a driver error", () => {
	const fx = useDatabase(openSqlite);

	it("a schema drift (the value column renamed) fails with Prisma's reason and without the tokens", async () => {
		// A query extension that writes `valu` for `value`: Prisma's validation error then prints the call, value included.
		const drifted = fx.db.prisma.$extends({
			query: {
				o365Token: {
					$allOperations({ args, query }: { args: unknown; query: (args: unknown) => Promise<unknown> }) {
						const { data, create, update } = args as Record<string, Record<string, unknown> | undefined>;
						for (const fields of [data, create, update]) {
							if (fields !== undefined && "value" in fields) {
								fields.valu = fields.value;
								delete fields.value;
							}
						}
						return query(args);
					},
				},
			},
		});
		const backend = new PrismaTokenBackend({ prisma: drifted });
		const cache = msalCacheFixture({ users: 2 });
		backend.deserialize(cache.json, { changed: true });
		const error = await backend.saveToken().catch((e: unknown) => e);

		expect(error).toBeInstanceOf(TokenBackendError);
		expect(error).toMatchObject({ code: "backend_io", backend: "prisma" });
		expect((error as Error).message).toContain("Unknown argument `valu`");
		expect(((error as Error).cause as Error).name).toBe("PrismaClientValidationError");
		const text = everythingIn(error);
		for (const user of cache.users) {
			for (const secret of [user.accessToken, user.refreshToken, user.idToken]) {
				expect(text).not.toContain(secret);
			}
		}
	});
});
