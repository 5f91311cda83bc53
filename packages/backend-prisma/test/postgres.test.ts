import { describe } from "vitest";
import { compareAndSetTests } from "./helpers/compare-and-set-tests.js";
import { openPostgres } from "./helpers/databases.js";
import { leaseTests } from "./helpers/lease-tests.js";
import { quarantineTests } from "./helpers/quarantine-tests.js";
import { storageTests } from "./helpers/storage-tests.js";

// A real PostgreSQL server (O365_TEST_POSTGRES_URL, or one .ci/postgres starts), through @prisma/adapter-pg, with sql/postgresql.sql applied.
describe("PrismaTokenBackend on PostgreSQL: storage", () => storageTests(openPostgres));
describe("PrismaTokenBackend on PostgreSQL: compare-and-set", () => compareAndSetTests(openPostgres));
describe("PrismaTokenBackend on PostgreSQL: lease", () => leaseTests(openPostgres));
describe("PrismaTokenBackend on PostgreSQL: quarantine", () => quarantineTests(openPostgres));
