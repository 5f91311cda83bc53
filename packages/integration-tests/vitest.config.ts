import { defineProject } from "vitest/config";

export default defineProject({
	resolve: { conditions: ["@o365/source"] },
	ssr: { resolve: { conditions: ["@o365/source"] } },
	test: {
		setupFiles: ["./test/setup.ts"],
		// Generates the Prisma clients and provides a PostgreSQL server (O365_TEST_POSTGRES_URL, or
		// a throwaway one from .ci/postgres), exactly as for @o365/backend-prisma's own tests.
		globalSetup: ["../backend-prisma/test/global-setup.ts", "../backend-redis/test/global-setup.ts"],
		testTimeout: 180_000,
		// The fleet tests start 8 processes each; running files side by side would measure contention.
		fileParallelism: false,
	},
});
