import { defineProject } from "vitest/config";

export default defineProject({
	resolve: { conditions: ["@o365/source"] },
	ssr: { resolve: { conditions: ["@o365/source"] } },
	test: {
		setupFiles: ["./test/setup.ts"],
		testTimeout: 60_000,
	},
});
