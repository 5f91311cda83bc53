import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import pg from "pg";
import { inject } from "vitest";
import { PrismaClient as PostgresClient } from "../generated/postgresql/client/client.js";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client/client.js";

const SQL_DIR = new URL("../../sql/", import.meta.url);

/** A row as the generated client returns it. */
export interface StoredRow {
	id: string;
	value: string | null;
	version: number;
	leaseOwner: string | null;
	leaseExpiresAt: Date | null;
	updatedAt: Date;
}

/** A fresh, empty database with the shipped DDL applied, and a generated client on it. */
export interface TestDatabase {
	readonly provider: "sqlite" | "postgresql";
	/** The client to hand the backend. */
	readonly prisma: SqliteClient | PostgresClient;
	/** Every row of o365_token, through the generated client. */
	rows(): Promise<StoredRow[]>;
	/** Inserts `count` rows with ids `filler-1`… in one SQL statement. */
	insertFiller(count: number): Promise<void>;
	/** The table's column names, from the database's catalog. */
	columns(): Promise<string[]>;
	/** Empties o365_token. */
	reset(): Promise<void>;
	close(): Promise<void>;
}

export async function openSqlite(): Promise<TestDatabase> {
	const dir = await mkdtemp(path.join(os.tmpdir(), "o365-backend-prisma-"));
	const file = path.join(dir, "tokens.db");
	const db = new Database(file);
	db.pragma("journal_mode = WAL");
	db.exec(await readFile(new URL("sqlite.sql", SQL_DIR), "utf8"));
	db.close();
	const prisma = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }) });
	return {
		provider: "sqlite",
		prisma,
		rows: () => prisma.o365Token.findMany({ orderBy: { id: "asc" } }),
		async insertFiller(count) {
			await prisma.$executeRawUnsafe(
				`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${count})
				 INSERT INTO o365_token (id, value, version, updated_at)
				 SELECT 'filler-' || n, 'filler value', 1, '2026-01-01T00:00:00.000+00:00' FROM seq`,
			);
		},
		async columns() {
			const rows = await prisma.$queryRawUnsafe<{ name: string }[]>(
				"SELECT name FROM pragma_table_info('o365_token')",
			);
			return rows.map((row) => row.name);
		},
		async reset() {
			await prisma.o365Token.deleteMany();
		},
		async close() {
			await prisma.$disconnect();
			await rm(dir, { recursive: true, force: true });
		},
	};
}

/** A new database on the server the global setup provides, dropped on close. */
export async function openPostgres(): Promise<TestDatabase> {
	const serverUrl = new URL(inject("postgresUrl"));
	const name = `o365_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
	await withAdminClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	const setup = new pg.Client({ connectionString: url.href });
	await setup.connect();
	try {
		await setup.query(await readFile(new URL("postgresql.sql", SQL_DIR), "utf8"));
	} finally {
		await setup.end();
	}
	const prisma = new PostgresClient({ adapter: new PrismaPg({ connectionString: url.href }) });
	return {
		provider: "postgresql",
		prisma,
		rows: () => prisma.o365Token.findMany({ orderBy: { id: "asc" } }),
		async insertFiller(count) {
			await prisma.$executeRawUnsafe(
				`INSERT INTO o365_token (id, value, version, updated_at)
				 SELECT 'filler-' || n, 'filler value', 1, now() FROM generate_series(1, ${count}) AS n`,
			);
		},
		async columns() {
			const rows = await prisma.$queryRawUnsafe<{ column_name: string }[]>(
				"SELECT column_name FROM information_schema.columns WHERE table_name = 'o365_token' ORDER BY ordinal_position",
			);
			return rows.map((row) => row.column_name);
		},
		async reset() {
			await prisma.o365Token.deleteMany();
		},
		async close() {
			await prisma.$disconnect();
			await withAdminClient(serverUrl, (admin) =>
				admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
			);
		},
	};
}

async function withAdminClient<T>(serverUrl: URL, use: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: serverUrl.href });
	await client.connect();
	try {
		return await use(client);
	} finally {
		await client.end();
	}
}
