// The conformance groups the suite must skip on Bitwarden (their samples exceed the 25,000
// characters a secret holds), run through the suite's own checks with values that fit.
import { randomUUID } from "node:crypto";
import {
	checkOpaqueValue,
	checkParallelWrites,
	checkReadersSeeWholeValues,
	createSuiteContext,
	expectHoldsUsers,
	expectO365Error,
	largeOpaqueValue,
	msalCacheFixture,
	opaqueValueSamples,
} from "@o365/backend-test-suite";
import { beforeEach, describe, expect, it } from "vitest";
import { useFakeBitwarden } from "./fake-server-fixture.js";

const fake = useFakeBitwarden();
const ctx = createSuiteContext({ name: "bitwarden", create: () => fake.backend() });
beforeEach(async () => {
	await fake.backend().remove();
});

describe("opaque values that fit in a secret", () => {
	const samples = opaqueValueSamples().filter((sample) => sample.name !== "a 200 KiB value");
	it.each(samples.map((sample) => [sample.name, sample] as const))(
		"%s comes back byte-identical",
		async (_, sample) => {
			await checkOpaqueValue(ctx, sample);
		},
	);

	it("a value of 24,000 characters with emoji across it comes back byte-identical", async () => {
		let value = largeOpaqueValue(24_000);
		value = value.slice(0, 24_000 - (value.length - [...value].length));
		expect([...value].length).toBeLessThanOrEqual(24_000);
		await checkOpaqueValue(ctx, { name: "a 24,000-character value", value });
	});
});

describe("concurrent writes with values that fit", () => {
	it("20 concurrent write() calls of 16 KiB values from two instances leave exactly one complete value", async () => {
		await checkParallelWrites(ctx, { bytes: 16 * 1024 });
	});

	it("a reader polling during 30 writes of 16 KiB values only ever sees whole values", async () => {
		await checkReadersSeeWholeValues(ctx, { bytes: 16 * 1024 });
	});

	it("5 concurrent saveToken() calls from 5 instances, each with another user, keep all 5", async () => {
		const clientId = randomUUID();
		const fixtures = Array.from({ length: 5 }, () => msalCacheFixture({ users: 1, clientId }));
		const savers = fixtures.map((fixture) => {
			const backend = fake.backend();
			backend.deserialize(fixture.json, { changed: true });
			return backend;
		});
		await Promise.all(savers.map((backend) => backend.saveToken()));
		const reader = fake.backend();
		expect(await reader.loadToken()).toBe(true);
		expectHoldsUsers(
			reader,
			fixtures.flatMap((fixture) => fixture.users),
			"the cache after 5 concurrent saves",
		);
	});
});

describe("a value too large for a secret", () => {
	it("is refused before anything is sent, with a typed error that says the limit", async () => {
		const backend = fake.backend();
		await backend.write("kept");
		const before = fake.server.requests.length;
		const error = await backend.write("x".repeat(25_001)).catch((e: unknown) => e);
		expectO365Error(error, ["backend_io"], "an oversized write");
		expect((error as Error).message).toContain("at most 25000");
		expect(fake.server.requests.length, "no request was sent").toBe(before);
		expect(await fake.backend().read()).toBe("kept");
	});
});
