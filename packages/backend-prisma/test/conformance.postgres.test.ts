import { testTokenBackend } from "@o365/backend-test-suite";
import { afterAll, beforeAll } from "vitest";
import { PrismaTokenBackend } from "../src/index.js";
import { badConfigurations } from "./helpers/bad-configurations.js";
import { openPostgres, type TestDatabase } from "./helpers/databases.js";

let db: TestDatabase;
beforeAll(async () => {
	db = await openPostgres();
});
afterAll(() => db.close());

testTokenBackend({
	name: "prisma-postgres",
	create: () => new PrismaTokenBackend({ prisma: db.prisma, key: "conformance" }),
	reset: () => db.reset(),
	badConfigurations: badConfigurations(() => db.prisma),
});
