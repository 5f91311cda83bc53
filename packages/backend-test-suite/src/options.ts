import type { TokenBackend } from "@o365/core";

/** The groups of the conformance suite, in the order they run. */
export const SUITE_GROUPS = [
	"roundTrip",
	"sharedStore",
	"opaqueValues",
	"parallelSaves",
	"atomicWrites",
	"compareAndSet",
	"lease",
	"leaseRenewal",
	"deleteAndCheck",
	"badConfiguration",
	"noValueInErrors",
] as const;

/** One group of the conformance suite; the key to skip it by. */
export type SuiteGroup = (typeof SUITE_GROUPS)[number];

/** A way to configure the backend wrongly, and the builder that tries it. */
export interface BadConfiguration {
	/** What is wrong, shown in the test title, e.g. `"an empty key prefix"`. */
	name: string;
	/**
	 * Builds the backend with the bad configuration. It must throw (synchronously or by rejecting)
	 * an `O365Error` coded `backend_invalid_config`, at construction or at first use.
	 */
	build: () => unknown;
}

/** What {@link testTokenBackend} needs to know about the backend under test. */
export interface TokenBackendSuiteOptions {
	/** Shown in the suite's title: `TokenBackend conformance: <name>`. */
	name: string;
	/**
	 * Returns a new backend instance over the same store every call, as a second process would
	 * open it. The suite calls it several times per test, so it must be cheap.
	 */
	create: () => TokenBackend | Promise<TokenBackend>;
	/**
	 * Empties the store; called before each test.
	 * @default deleteToken() on a new instance
	 */
	reset?: () => void | Promise<void>;
	/**
	 * Groups not to run, each with the reason (required, shown in the skipped group's title), e.g.
	 * `{ parallelSaves: "the emulator serializes every write" }`.
	 * @default {} (every group runs)
	 */
	skip?: Partial<Record<SuiteGroup, string>>;
	/**
	 * Wrong configurations the backend must refuse with `backend_invalid_config`.
	 * @default [] (the badConfiguration group is skipped)
	 */
	badConfigurations?: BadConfiguration[];
	/**
	 * Time limit of each test and each `reset`, in milliseconds.
	 * @default 30_000
	 */
	timeoutMs?: number;
}
