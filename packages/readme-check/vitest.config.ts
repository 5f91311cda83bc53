import { defineProject } from "vitest/config";

export default defineProject({
	test: { setupFiles: ["@o365/testkit/guard"] },
});
