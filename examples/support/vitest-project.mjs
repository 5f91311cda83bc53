// The vitest project every example's `vitest.config.ts` is: sources through `@o365/source`, the
// egress guard on. Plain JavaScript: vitest loads config files with Node, which cannot import .ts.
import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

/** @param {{ globalSetup?: string[] }} [test] */
export function exampleProject(test = {}) {
	return defineProject({
		resolve: { conditions: ["@o365/source"] },
		ssr: { resolve: { conditions: ["@o365/source"] } },
		test: {
			// Fails any test whose code opens a connection beyond loopback.
			setupFiles: [fileURLToPath(new URL("./src/test/guard.ts", import.meta.url))],
			// A hang guard, not a speed check: a test starts its example two or three times, each a new
			// process that compiles its sources, and one took 56 s in a loaded CI run.
			testTimeout: 180_000,
			hookTimeout: 120_000,
			...test,
		},
	});
}
