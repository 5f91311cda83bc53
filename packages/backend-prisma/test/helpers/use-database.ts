import { afterAll, beforeAll, beforeEach } from "vitest";
import { PrismaTokenBackend, type PrismaTokenBackendOptions } from "../../src/index.js";
import type { TestDatabase } from "./databases.js";

export interface DatabaseFixture {
	/** The database of the current describe block (opened in beforeAll, emptied before each test). */
	readonly db: TestDatabase;
	/** A new backend over that database, as another process would open it. */
	backend(options?: Partial<PrismaTokenBackendOptions>): PrismaTokenBackend;
}

/** Opens a database for the enclosing describe block, empties it before each test, closes it after. */
export function useDatabase(open: () => Promise<TestDatabase>): DatabaseFixture {
	let db: TestDatabase | undefined;
	beforeAll(async () => {
		db = await open();
	});
	afterAll(async () => {
		await db?.close();
	});
	beforeEach(async () => {
		await db?.reset();
	});
	const fixture: DatabaseFixture = {
		get db() {
			if (db === undefined) throw new Error("the database is opened in beforeAll");
			return db;
		},
		backend: (options = {}) => new PrismaTokenBackend({ prisma: fixture.db.prisma, ...options }),
	};
	return fixture;
}
