import { defineProject } from "vitest/config";

export default defineProject({
	resolve: { conditions: ["@o365/source"] },
	ssr: { resolve: { conditions: ["@o365/source"] } },
	test: {
		setupFiles: ["./test/setup.ts"],
		// A hang guard, not a speed check: the lease tests start child processes, and the four-holder
		// one took over 20 s in a loaded CI run (about 10 s on a quiet machine).
		testTimeout: 60_000,
	},
});
