import type { TokenBackend } from "@o365/core";
import { it } from "vitest";
import { captureError, expectO365Error } from "../assertions.js";
import type { SuiteContext } from "../context.js";
import { describeGroup } from "../group.js";
import type { BadConfiguration } from "../options.js";

/** The reason the group is skipped when no bad configurations are given. */
export const NO_BAD_CONFIGURATIONS = "no badConfigurations were passed to testTokenBackend";

function isTokenBackend(value: unknown): value is TokenBackend {
	return (
		typeof value === "object" &&
		value !== null &&
		typeof (value as Partial<TokenBackend>).checkToken === "function" &&
		typeof (value as Partial<TokenBackend>).loadToken === "function"
	);
}

/**
 * Building the backend with the bad configuration throws an `O365Error` coded
 * `backend_invalid_config`, at construction (sync or async) or at first use (`checkToken`,
 * then `loadToken`).
 */
export async function checkBadConfiguration(configuration: BadConfiguration): Promise<void> {
	const error = await captureError(async () => {
		const built = await configuration.build();
		if (isTokenBackend(built)) {
			await built.checkToken();
			await built.loadToken();
		}
	}, `building the backend with ${configuration.name}`);
	expectO365Error(error, ["backend_invalid_config"], configuration.name);
}

/** badConfiguration: wrong options are refused early, with `backend_invalid_config`. */
export function badConfigurationTests(ctx: SuiteContext): void {
	const none = ctx.badConfigurations.length === 0;
	// Nothing to check: skip the group with that reason (unless the caller skipped it with their own).
	const skip = none ? { badConfiguration: NO_BAD_CONFIGURATIONS, ...ctx.skip } : ctx.skip;
	describeGroup({ ...ctx, skip }, "badConfiguration", () => {
		// A skipped group without a test in it would not show in the report, and neither would its reason.
		if (none) it.skip("refuses each bad configuration with backend_invalid_config");
		for (const configuration of ctx.badConfigurations) {
			it(
				`${configuration.name} is refused with backend_invalid_config`,
				() => checkBadConfiguration(configuration),
				ctx.timeoutMs,
			);
		}
	});
}
