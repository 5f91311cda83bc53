import { type NodeRun, runTypeScript } from "@o365/testkit";

/**
 * Runs an example's `src/main.ts` as `pnpm start` does, in a new process with the egress guard,
 * against the test kit: every `O365_*` variable of the caller's environment is dropped (so a
 * developer's real credentials never leak into a test), then `env` is added.
 */
export function runExample(exampleDir: string, env: Record<string, string> = {}): Promise<NodeRun> {
	return runTypeScript("src/main.ts", [], { cwd: exampleDir, env: { ...exampleBaseEnv(), ...env } });
}

/** This process's environment without the `O365_*` variables an example reads (O365_TEST_* stay). */
export function exampleBaseEnv(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const name of Object.keys(env)) {
		if (name.startsWith("O365_") && !name.startsWith("O365_TEST_")) delete env[name];
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
