// Runs once before the test files: generates the Prisma test clients, and starts a throwaway
// PostgreSQL (.ci/postgres) unless O365_TEST_POSTGRES_URL names one already.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
// @ts-expect-error: a plain .mjs script, without types.
import { generateTestClients } from "./prisma/generate.mjs";

const POSTGRES_SCRIPT = fileURLToPath(new URL("../../../.ci/postgres", import.meta.url));

declare module "vitest" {
	export interface ProvidedContext {
		/** The PostgreSQL server to test against; every test file creates its own database there. */
		postgresUrl: string;
	}
}

export default function setup(project: TestProject): () => void {
	generateTestClients({ quiet: true });
	const given = process.env.O365_TEST_POSTGRES_URL;
	if (given !== undefined && given !== "") {
		project.provide("postgresUrl", given);
		return () => {};
	}
	let output: string;
	try {
		output = execFileSync(POSTGRES_SCRIPT, ["start"], {
			encoding: "utf8",
			stdio: ["ignore", "pipe", "pipe"],
		});
	} catch (error) {
		const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
		throw new Error(
			`The PostgreSQL tests need a server, and starting one with .ci/postgres failed:\n${stderr}\n` +
				"Install PostgreSQL (Debian/Ubuntu: apt-get install -y postgresql; macOS: brew install postgresql@15), " +
				"or set O365_TEST_POSTGRES_URL=postgresql://user@host:port/database to a server you run.",
			{ cause: error },
		);
	}
	const url = /O365_TEST_POSTGRES_URL=(\S+)/.exec(output)?.[1];
	const dir = /O365_TEST_POSTGRES_DIR=(\S+)/.exec(output)?.[1];
	if (url === undefined || dir === undefined)
		throw new Error(`.ci/postgres start printed no URL:\n${output}`);
	project.provide("postgresUrl", url);
	return () => {
		execFileSync(POSTGRES_SCRIPT, ["stop", dir], { stdio: "ignore" });
	};
}
