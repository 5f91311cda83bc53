import { defineProject } from "vitest/config";

export default defineProject({
	resolve: { conditions: ["@o365/source"] },
	ssr: { resolve: { conditions: ["@o365/source"] } },
	test: {
		setupFiles: ["./test/setup.ts"],
		// A hang guard, not a speed check: a test that starts a process with the native SDK took
		// 12.6 s in a loaded CI run.
		testTimeout: 60_000,
	},
});
