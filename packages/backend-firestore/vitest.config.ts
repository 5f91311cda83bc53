import { defineProject } from "vitest/config";

export default defineProject({
	resolve: { conditions: ["@o365/source"] },
	ssr: { resolve: { conditions: ["@o365/source"] } },
	test: {
		// Starts the Cloud Firestore emulator (.ci/firestore) unless O365_TEST_FIRESTORE_HOST is set.
		globalSetup: ["./test/global-setup.ts"],
		setupFiles: ["./test/setup.ts"],
		testTimeout: 20_000,
		hookTimeout: 60_000,
	},
});
