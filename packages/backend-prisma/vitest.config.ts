import { defineProject } from "vitest/config";

export default defineProject({
	resolve: { conditions: ["@o365/source"] },
	ssr: { resolve: { conditions: ["@o365/source"] } },
	test: {
		// Generates the Prisma test clients; starts PostgreSQL unless O365_TEST_POSTGRES_URL is set.
		globalSetup: ["./test/global-setup.ts"],
		setupFiles: ["./test/setup.ts"],
		testTimeout: 20_000,
		hookTimeout: 30_000,
	},
});
