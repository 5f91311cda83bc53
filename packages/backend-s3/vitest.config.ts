import { defineProject } from "vitest/config";

export default defineProject({
	resolve: { conditions: ["@o365/source"] },
	ssr: { resolve: { conditions: ["@o365/source"] } },
	test: {
		// Starts Ceph radosgw (.ci/radosgw) unless O365_TEST_S3_ENDPOINT is set.
		globalSetup: ["./test/global-setup.ts"],
		setupFiles: ["./test/setup.ts"],
		// A hang guard, not a speed check: the slowest test took 19 s against radosgw in a CI run.
		testTimeout: 60_000,
		hookTimeout: 60_000,
	},
});
