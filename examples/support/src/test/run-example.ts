import { type NodeRun, runTypeScript } from "@o365/testkit";

/**
 * Runs an example's `src/main.ts` as `pnpm start` does, in a new process with the egress guard,
 * against the test kit: the caller's real-service variables are dropped (see {@link exampleBaseEnv}: a
 * developer's real credentials never reach a test), then `env` is added.
 */
export function runExample(exampleDir: string, env: Record<string, string> = {}): Promise<NodeRun> {
	return runTypeScript("src/main.ts", [], { cwd: exampleDir, env: { ...exampleBaseEnv(), ...env } });
}

/**
 * This process's environment without the variables that point an example at real services:
 * `O365_*` (O365_TEST_* stay: they name local servers) and Bitwarden's `BWS_*`.
 */
export function exampleBaseEnv(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const name of Object.keys(env)) {
		if ((name.startsWith("O365_") && !name.startsWith("O365_TEST_")) || name.startsWith("BWS_"))
			delete env[name];
	}
	return env;
}

/** The command `runExample` runs, for {@link startInTerminal}: the example with the egress guard. */
export const EXAMPLE_COMMAND: readonly string[] = [
	process.execPath,
	"--conditions=@o365/source",
	"--import",
	"tsx",
	"--import",
	"@o365/testkit/guard-process",
	"src/main.ts",
];
