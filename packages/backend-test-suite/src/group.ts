import { beforeEach, describe } from "vitest";
import type { SuiteContext } from "./context.js";
import type { SuiteGroup } from "./options.js";

/**
 * Registers one group as a `describe` that empties the store before each test, or, when the
 * options skip it, as a `describe.skip` whose title carries the reason.
 */
export function describeGroup(ctx: SuiteContext, group: SuiteGroup, body: () => void): void {
	const reason = ctx.skip[group];
	if (reason !== undefined) {
		describe.skip(`${group} (skipped: ${reason})`, body);
		return;
	}
	describe(group, () => {
		beforeEach(() => ctx.reset(), ctx.timeoutMs);
		body();
	});
}
