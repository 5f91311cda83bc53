import { defineProject } from "vitest/config";

export default defineProject({
	resolve: { conditions: ["@o365/source"] },
	ssr: { resolve: { conditions: ["@o365/source"] } },
	test: {
		// Starts a throwaway redis-server (.ci/redis) unless O365_TEST_REDIS_URL names one already.
		globalSetup: ["./test/global-setup.ts"],
		setupFiles: ["./test/setup.ts"],
		testTimeout: 20_000,
		hookTimeout: 30_000,
	},
});
