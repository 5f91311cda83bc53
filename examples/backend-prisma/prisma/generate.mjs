// `prisma generate` for prisma/schema.prisma. Offline-safe: generate never runs Prisma's schema
// engine, but refuses to start without one, so any file will do when none is configured.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));
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
