// The public surface of @o365/backend-test-suite. This file only re-exports.

export {
	captureError,
	describeDifference,
	expectHoldsUsers,
	expectNothingStored,
	expectNoValueAnywhere,
	expectO365Error,
	expectSameText,
	usernamesOf,
} from "./assertions.js";
export {
	type Capability,
	type CompareAndSetBackend,
	capabilityTest,
	hasCompareAndSet,
	hasLease,
	type LeasingBackend,
	MISSING_CAPABILITY,
} from "./capabilities.js";
export { createSuiteContext, type SuiteContext } from "./context.js";
export {
	combineCacheDocuments,
	type FixtureUser,
	type MsalCacheFixture,
	type MsalCacheFixtureOptions,
	msalCacheFixture,
} from "./fixtures.js";
export { describeGroup } from "./group.js";
export { ATOMIC_WRITES, atomicWritesTests, checkReadersSeeWholeValues } from "./groups/atomic-writes.js";
export {
	badConfigurationTests,
	checkBadConfiguration,
	NO_BAD_CONFIGURATIONS,
} from "./groups/bad-configuration.js";
export {
	CAS_RACERS,
	checkCreateOnlyWhenAbsent,
	checkCurrentVersionWins,
	checkRaceFromSameVersion,
	checkSavesMerge,
	checkStaleVersionRefused,
	compareAndSetTests,
} from "./groups/compare-and-set.js";
export {
	checkDeleteToken,
	checkPrimitivesRemove,
	checkTokenTracksSaves,
	deleteAndCheckTests,
} from "./groups/delete-and-check.js";
export {
	ABORT_AT_GRANT_DELAYS_MS,
	ABORT_PROMPTNESS_MS,
	checkAbortAtGrant,
	checkAbortStopsWaiting,
	checkLeaseExclusive,
	checkLeaseExpires,
	checkLeaseReleased,
	checkLeaseTimeout,
	checkOneHolderAtATime,
	checkReleaseTwice,
	expectLeaseTimeout,
	LEASE_CONTENDERS,
	LEASE_TOLERANCE_MS,
	leaseTests,
} from "./groups/lease.js";
export {
	checkRenewAfterTakeover,
	checkRenewKeepsLease,
	leaseRenewalTests,
	NO_RENEW,
	RENEWED_TTL_MS,
} from "./groups/lease-renewal.js";
export {
	checkCorruptValueNotInError,
	checkCryptoFailureNotInError,
	checkLeaseTimeoutNotInError,
	corruptValues,
	noValueInErrorsTests,
} from "./groups/no-value-in-errors.js";
export {
	checkOpaqueValue,
	largeOpaqueValue,
	type OpaqueValueSample,
	opaqueValueSamples,
	opaqueValuesTests,
} from "./groups/opaque-values.js";
export {
	checkParallelSaves,
	checkParallelWrites,
	PARALLEL_WRITERS,
	parallelSavesTests,
} from "./groups/parallel-saves.js";
export {
	checkLoadFromEmptyStore,
	checkPrimitivesRoundTrip,
	checkSavedCacheLoads,
	checkSaveOverwrites,
	checkUnchangedSaveSkipsWrite,
	roundTripTests,
} from "./groups/round-trip.js";
export {
	checkFirstInstanceSeesLaterSave,
	checkSecondInstanceSeesSave,
	sharedStoreTests,
} from "./groups/shared-store.js";
export {
	type BadConfiguration,
	SUITE_GROUPS,
	type SuiteGroup,
	type TokenBackendSuiteOptions,
} from "./options.js";
export { testTokenBackend } from "./suite.js";
export { countWrites, type WriteCounter } from "./write-counter.js";
