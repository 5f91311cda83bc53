import { describe } from "vitest";
import { compareAndSetTests } from "./helpers/compare-and-set-tests.js";
import { openSqlite } from "./helpers/databases.js";
import { leaseTests } from "./helpers/lease-tests.js";
import { quarantineTests } from "./helpers/quarantine-tests.js";
import { storageTests } from "./helpers/storage-tests.js";

// A real SQLite file, through @prisma/adapter-better-sqlite3, with sql/sqlite.sql applied.
describe("PrismaTokenBackend on SQLite: storage", () => storageTests(openSqlite));
describe("PrismaTokenBackend on SQLite: compare-and-set", () => compareAndSetTests(openSqlite));
describe("PrismaTokenBackend on SQLite: lease", () => leaseTests(openSqlite));
describe("PrismaTokenBackend on SQLite: quarantine", () => quarantineTests(openSqlite));
