import { defineProject } from "vitest/config";

export default defineProject({
	resolve: { conditions: ["@o365/source"] },
	ssr: { resolve: { conditions: ["@o365/source"] } },
	test: {
		// Starts moto (.ci/moto) unless O365_TEST_MOTO_ENDPOINT is set.
		globalSetup: ["./test/global-setup.ts"],
		setupFiles: ["./test/setup.ts"],
		// A hang guard, not a speed check: 20 concurrent 48 KiB writes to moto took 24 s in a CI run.
		testTimeout: 90_000,
		hookTimeout: 60_000,
	},
});
