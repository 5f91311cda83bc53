import { defineProject } from "vitest/config";

export default defineProject({
	resolve: { conditions: ["@o365/source"] },
	ssr: { resolve: { conditions: ["@o365/source"] } },
	test: {
		// Starts moto (.ci/moto) unless O365_TEST_MOTO_ENDPOINT is set.
		globalSetup: ["./test/global-setup.ts"],
		setupFiles: ["./test/setup.ts"],
		testTimeout: 30_000,
		hookTimeout: 60_000,
	},
});
