import { expect } from "vitest";
import { ConfigurationError } from "../../src/errors.js";

/** The ConfigurationError `attempt` throws; fails the test when it throws something else or nothing. */
export function errorOf(attempt: () => unknown): ConfigurationError {
	try {
		attempt();
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigurationError);
		return error as ConfigurationError;
	}
	throw new Error("expected a ConfigurationError");
}
