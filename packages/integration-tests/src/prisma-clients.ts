/**
 * Prisma clients for the fleet's SQLite and PostgreSQL stores. They are the ones
 * @o365/backend-prisma's tests generate from its shipped schema (`pnpm --filter
 * @o365/backend-prisma generate`, run before these tests by turbo), so both packages test the model
 * users paste; generated code is not a package export, hence the relative import.
 */
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "../../backend-prisma/test/generated/postgresql/client/client.js";
import { PrismaClient as SqliteClient } from "../../backend-prisma/test/generated/sqlite/client/client.js";

export function sqliteClient(file: string): SqliteClient {
	return new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }) });
}

export function postgresClient(url: string): PostgresClient {
	return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) });
}

export const SQL_DIR = new URL("../../backend-prisma/sql/", import.meta.url);
