import { ConfigurationError, MemoryTokenBackend, MemoryTokenStore, type TokenBackend } from "@o365/core";
import { describe, expect, it } from "vitest";
import {
	checkAbortAtGrant,
	checkAbortStopsWaiting,
	checkBadConfiguration,
	checkCorruptValueNotInError,
	checkCreateOnlyWhenAbsent,
	checkLeaseExclusive,
	checkLeaseExpires,
	checkLeaseTimeoutNotInError,
	checkOneHolderAtATime,
	checkOpaqueValue,
	checkParallelWrites,
	checkRaceFromSameVersion,
	checkReadersSeeWholeValues,
	checkSavesMerge,
	checkSecondInstanceSeesSave,
	checkStaleVersionRefused,
	checkUnchangedSaveSkipsWrite,
	createSuiteContext,
	opaqueValueSamples,
	type SuiteContext,
} from "../src/index.js";
import {
	AbortLeaksLeaseBackend,
	AlwaysWritesBackend,
	ChunkedWriteBackend,
	IgnoresVersionBackend,
	ImmortalLeaseBackend,
	LeakyErrorsBackend,
	LeakyLeaseTimeoutBackend,
	NonExclusiveLeaseBackend,
	TrimmingBackend,
	TruncatingBackend,
	TwoStepWriteBackend,
} from "./broken-backends.js";

/** A suite context over a new shared store, as a backend's test file would build it. */
function contextFor(Backend: new (options: { store: MemoryTokenStore }) => TokenBackend): SuiteContext {
	const store = new MemoryTokenStore();
	return createSuiteContext({ name: Backend.name, create: () => new Backend({ store }) });
}

/** Fails unless the check fails on an assertion (not on a bug of its own). */
async function expectCaught(check: Promise<void>): Promise<void> {
	await expect(check).rejects.toMatchObject({ name: "AssertionError" });
}

function sample(name: string) {
	const found = opaqueValueSamples().find((candidate) => candidate.name.startsWith(name));
	if (found === undefined) throw new Error(`no opaque sample named ${name}`);
	return found;
}

describe("the suite catches broken backends", () => {
	it("a compare-and-set that never refuses stale writes", async () => {
		const ctx = contextFor(IgnoresVersionBackend);
		await expectCaught(checkCreateOnlyWhenAbsent(ctx));
		await expectCaught(checkStaleVersionRefused(ctx));
		await expectCaught(checkRaceFromSameVersion(ctx));
		await expectCaught(checkSavesMerge(ctx));
	});

	it("a lease that is not exclusive", async () => {
		const ctx = contextFor(NonExclusiveLeaseBackend);
		await expectCaught(checkLeaseExclusive(ctx));
		await expectCaught(checkOneHolderAtATime(ctx));
	});

	it("a lease that never expires", async () => {
		await expect(
			checkLeaseExpires(contextFor(ImmortalLeaseBackend), { ttlMs: 50, graceMs: 100 }),
		).rejects.toMatchObject({ code: "lease_timeout" });
	});

	it("a store that trims or truncates values", async () => {
		await expectCaught(checkOpaqueValue(contextFor(TrimmingBackend), sample("leading and trailing")));
		await expectCaught(checkOpaqueValue(contextFor(TruncatingBackend), sample("a 200 KiB")));
	});

	it("a store whose concurrent writes interleave", async () => {
		await expectCaught(checkParallelWrites(contextFor(ChunkedWriteBackend)));
	});

	it("a write() that briefly stores half a value, though every end state is whole", async () => {
		const ctx = contextFor(TwoStepWriteBackend);
		await checkParallelWrites(ctx); // end states alone cannot tell
		await expectCaught(checkReadersSeeWholeValues(ctx));
	});

	it("a lease_timeout error that carries the stored value", async () => {
		await expectCaught(checkLeaseTimeoutNotInError(contextFor(LeakyLeaseTimeoutBackend)));
	});

	it("a lease taken and kept by a wait aborted at the moment it was granted", async () => {
		const ctx = contextFor(AbortLeaksLeaseBackend);
		await checkAbortStopsWaiting(ctx); // an abort during the wait is honoured promptly
		await expectCaught(checkAbortAtGrant(ctx));
	});

	it("a saveToken() that writes when nothing changed", async () => {
		await expectCaught(checkUnchangedSaveSkipsWrite(contextFor(AlwaysWritesBackend)));
	});

	it("a create() that does not share the store", async () => {
		const ctx = createSuiteContext({ name: "unshared", create: () => new MemoryTokenBackend() });
		await expectCaught(checkSecondInstanceSeesSave(ctx));
	});

	it("an error message that quotes the stored value", async () => {
		await expectCaught(checkCorruptValueNotInError(contextFor(LeakyErrorsBackend)));
	});

	it("a bad configuration that is accepted, or refused with another code", async () => {
		await expectCaught(checkBadConfiguration({ name: "accepted", build: () => new MemoryTokenBackend() }));
		await expectCaught(
			checkBadConfiguration({
				name: "wrong code",
				build: () => {
					throw new ConfigurationError("invalid_option", "wrong code");
				},
			}),
		);
	});

	it("accepts a bad configuration refused asynchronously at first use", async () => {
		await checkBadConfiguration({
			name: "refused at first use",
			build: async () => {
				throw new ConfigurationError("backend_invalid_config", "refused");
			},
		});
	});
});
