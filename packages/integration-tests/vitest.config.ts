import { defineProject } from "vitest/config";

export default defineProject({
	resolve: { conditions: ["@o365/source"] },
	ssr: { resolve: { conditions: ["@o365/source"] } },
	test: {
		setupFiles: ["./test/setup.ts"],
		testTimeout: 180_000,
		// The fleet tests start 8 processes each; running files side by side would measure contention.
		fileParallelism: false,
	},
});
