import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expectExampleStoresTheToken } from "@o365/example-support/test";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

describe("backend-prisma example (SQLite through Prisma and better-sqlite3)", () => {
	let dir: string;
	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), "o365-example-prisma-"));
	});
	afterEach(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	it("creates the table, stores the signed-in user's token in its row, signs in silently next time, and calls Graph", async () => {
		const file = join(dir, "app.db");
		await expectExampleStoresTheToken({
			exampleDir,
			env: { O365_DATABASE_FILE: file },
			storedIn: `SQLite ${file}, table o365_token, row default`,
			readStored: async () => {
				const db = new Database(file, { readonly: true });
				try {
					const row = db.prepare("SELECT value FROM o365_token WHERE id = ?").get("default") as
						| { value: string | null }
						| undefined;
					return row?.value ?? undefined;
				} finally {
					db.close();
				}
			},
		});
	});
});
