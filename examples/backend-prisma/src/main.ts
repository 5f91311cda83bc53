/**
 * Tokens in a database through your own Prisma client (@o365/backend-prisma), here SQLite with
 * better-sqlite3:
 *
 *   pnpm --filter @o365/example-backend-prisma start     # against the test kit (offline)
 *
 * (`start` runs `prisma generate` first when the client in src/generated/ is missing or stale.)
 *
 * The database is O365_DATABASE_FILE (default ./.o365-demo/backend-prisma.db); its `o365_token`
 * table is created from the SQL the package ships. The token is the row with id `default`; the
 * next runs sign in silently from it. For PostgreSQL, generate with provider "postgresql" and pass
 * `new PrismaPg({ connectionString })` as the adapter: the backend code stays the same.
 */

import { mkdir, readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaTokenBackend } from "@o365/backend-prisma";
import { runMain, showUserWithBackend, startDemo } from "@o365/example-support";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { PrismaClient } from "./generated/prisma/client.js";

/** Creates the table if it is missing (`CREATE TABLE IF NOT EXISTS`): what `prisma migrate` would do. */
async function createTable(file: string): Promise<void> {
	const sql = await readFile(
		fileURLToPath(import.meta.resolve("@o365/backend-prisma/sql/sqlite.sql")),
		"utf8",
	);
	const db = new Database(file);
	try {
		db.exec(sql);
	} finally {
		db.close();
	}
}

runMain(async () => {
	const file = resolve(process.env.O365_DATABASE_FILE ?? ".o365-demo/backend-prisma.db");
	await mkdir(dirname(file), { recursive: true });
	await createTable(file);
	const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }) });
	const demo = await startDemo();
	try {
		const tokenBackend = new PrismaTokenBackend({ prisma }); // one row, id "default"
		await showUserWithBackend(demo, tokenBackend, `SQLite ${file}, table o365_token, row default`);
	} finally {
		await prisma.$disconnect();
		await demo.close();
	}
});
