import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { SQL_DIR } from "./prisma-clients.js";

/** A new SQLite file in `dir` with the shipped DDL applied. */
export async function createSqliteStore(dir: string): Promise<string> {
	const file = join(dir, "tokens.db");
	const db = new Database(file);
	db.pragma("journal_mode = WAL");
	db.exec(await readFile(new URL("sqlite.sql", SQL_DIR), "utf8"));
	db.close();
	return file;
}

/** A new database on `serverUrl` with the shipped DDL applied; `drop()` removes it. */
export async function createPostgresStore(
	serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `o365_fleet_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
	await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	const sql = await readFile(new URL("postgresql.sql", SQL_DIR), "utf8");
	await withClient(url.href, (client) => client.query(sql));
	return {
		url: url.href,
		drop: () =>
			withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
				() => {},
			),
	};
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await use(client);
	} finally {
		await client.end();
	}
}
