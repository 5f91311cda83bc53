/**
 * Vitest setup file (`setupFiles: ["@o365/testkit/guard"]`): installs the egress guard and fails any test
 * during which a connection beyond loopback was attempted, even if the code under test swallowed the error.
 */
import { afterEach } from "vitest";
import { clearEgressViolations, egressViolations, installEgressGuard } from "./egress-guard.js";
import { TestkitError } from "./errors.js";

installEgressGuard();

afterEach(() => {
	const seen = egressViolations();
	clearEgressViolations();
	if (seen.length > 0) {
		const targets = seen.map((violation) => `${violation.host}:${violation.port ?? "?"}`).join(", ");
		throw new TestkitError(
			"egress_blocked",
			`This test tried to reach the network beyond loopback: ${targets}.`,
		);
	}
});
