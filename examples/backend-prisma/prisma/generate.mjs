// `prisma generate` for prisma/schema.prisma. Offline-safe: generate never runs Prisma's schema
// engine, but refuses to start without one, so any file will do when none is configured.
// `--if-stale` (used by `pnpm start`) skips it when the client is newer than the schema.
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));
const modified = (file) => statSync(path.join(exampleDir, file), { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (
	process.argv.includes("--if-stale") &&
	modified("src/generated/prisma/client.ts") > modified("prisma/schema.prisma")
) {
	process.exit(0);
}
const prismaPackage = createRequire(import.meta.url).resolve("prisma/package.json");
execFileSync(
	process.execPath,
	[
		path.join(path.dirname(prismaPackage), "build", "index.js"),
		"generate",
		"--schema",
		"prisma/schema.prisma",
	],
	{
		cwd: exampleDir,
		stdio: "inherit",
		env: {
			...process.env,
			PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true",
			PRISMA_HIDE_UPDATE_MESSAGE: "1",
		},
	},
);
