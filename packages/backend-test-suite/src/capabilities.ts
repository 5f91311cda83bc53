import type { TokenBackend, TokenStorage } from "@o365/core";
import { expect, it } from "vitest";
import type { SuiteContext } from "./context.js";

/** A backend that implements compare-and-set (`readVersioned` and `writeIfVersion`). */
export type CompareAndSetBackend = TokenBackend &
	Required<Pick<TokenStorage, "readVersioned" | "writeIfVersion">>;

/** A backend that implements the cross-process lease. */
export type LeasingBackend = TokenBackend & Required<Pick<TokenStorage, "acquireLease">>;

/** An optional capability some tests need. */
export type Capability = "compareAndSet" | "lease";

/** The reason shown on tests skipped because the backend lacks a capability. */
export const MISSING_CAPABILITY: Readonly<Record<Capability, string>> = {
	compareAndSet: "backend has no compare-and-set",
	lease: "backend has no lease",
};

export function hasCompareAndSet(backend: TokenBackend): backend is CompareAndSetBackend {
	return typeof backend.readVersioned === "function" && typeof backend.writeIfVersion === "function";
}

export function hasLease(backend: TokenBackend): backend is LeasingBackend {
	return typeof backend.acquireLease === "function";
}

export function hasCapability(backend: TokenBackend, capability: Capability): boolean {
	return capability === "compareAndSet" ? hasCompareAndSet(backend) : hasLease(backend);
}

/** A new instance that must implement compare-and-set (a check's precondition). */
export async function createCompareAndSet(ctx: SuiteContext): Promise<CompareAndSetBackend> {
	const backend = await ctx.create();
	expect(hasCompareAndSet(backend), MISSING_CAPABILITY.compareAndSet).toBe(true);
	return backend as CompareAndSetBackend;
}

/** A new instance that must implement the lease (a check's precondition). */
export async function createLeasing(ctx: SuiteContext): Promise<LeasingBackend> {
	const backend = await ctx.create();
	expect(hasLease(backend), MISSING_CAPABILITY.lease).toBe(true);
	return backend as LeasingBackend;
}

/**
 * Registers a test that needs a capability. Capabilities are methods of an instance, so they are
 * probed when the test runs (`create` may depend on `beforeAll` setup); without the capability
 * the test reports itself skipped, with the reason.
 */
export function capabilityTest(
	ctx: SuiteContext,
	capability: Capability,
	title: string,
	check: (ctx: SuiteContext) => Promise<void>,
): void {
	it(
		title,
		async ({ skip }) => {
			if (!hasCapability(await ctx.create(), capability)) skip(MISSING_CAPABILITY[capability]);
			await check(ctx);
		},
		ctx.timeoutMs,
	);
}
