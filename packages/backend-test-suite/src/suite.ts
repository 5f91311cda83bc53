import { describe } from "vitest";
import { createSuiteContext } from "./context.js";
import { atomicWritesTests } from "./groups/atomic-writes.js";
import { badConfigurationTests } from "./groups/bad-configuration.js";
import { compareAndSetTests } from "./groups/compare-and-set.js";
import { deleteAndCheckTests } from "./groups/delete-and-check.js";
import { leaseTests } from "./groups/lease.js";
import { leaseRenewalTests } from "./groups/lease-renewal.js";
import { noValueInErrorsTests } from "./groups/no-value-in-errors.js";
import { opaqueValuesTests } from "./groups/opaque-values.js";
import { parallelSavesTests } from "./groups/parallel-saves.js";
import { roundTripTests } from "./groups/round-trip.js";
import { sharedStoreTests } from "./groups/shared-store.js";
import type { TokenBackendSuiteOptions } from "./options.js";

/**
 * Registers the whole conformance suite for a token backend in vitest, as one
 * `describe("TokenBackend conformance: <name>")` whose tests run one after another (they share
 * the store). Call it at the top level of a test file:
 *
 * ```ts
 * testTokenBackend({ name: "redis", create: () => new RedisTokenBackend({ client, key }) });
 * ```
 */
export function testTokenBackend(options: TokenBackendSuiteOptions): void {
	const ctx = createSuiteContext(options);
	describe.sequential(`TokenBackend conformance: ${ctx.name}`, () => {
		roundTripTests(ctx);
		sharedStoreTests(ctx);
		opaqueValuesTests(ctx);
		parallelSavesTests(ctx);
		atomicWritesTests(ctx);
		compareAndSetTests(ctx);
		leaseTests(ctx);
		leaseRenewalTests(ctx);
		deleteAndCheckTests(ctx);
		badConfigurationTests(ctx);
		noValueInErrorsTests(ctx);
	});
}
