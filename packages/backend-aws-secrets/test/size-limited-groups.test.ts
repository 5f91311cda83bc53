// The opaqueValues, parallelSaves and atomicWrites groups of the conformance suite, with values
// that fit a secret (Secrets Manager holds at most 65,536 bytes), on moto; and a value too big
// for a secret refused with a typed error that writes nothing.
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import {
	checkOpaqueValue,
	checkParallelSaves,
	checkParallelWrites,
	checkReadersSeeWholeValues,
	createSuiteContext,
	expectO365Error,
	largeOpaqueValue,
	opaqueValueSamples,
} from "@o365/backend-test-suite";
import { beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { AWSSecretsBackend, MAX_SECRET_BYTES } from "../src/index.js";
import { localClient, purgeSecrets, uniqueSecretName } from "./helpers/clients.js";

let client: SecretsManagerClient;
const secretName = uniqueSecretName("size-limited");
const ctx = createSuiteContext({
	name: "aws-secrets-moto",
	create: () => new AWSSecretsBackend({ secretName, client }),
	reset: () => purgeSecrets(client, [secretName, `${secretName}.lease`]),
});
/** Big, yet with its `<index>:<uuid>:` prefix well under the limit. */
const BIG_BYTES = 48 * 1024;

beforeAll(() => {
	client = localClient(inject("motoEndpoint"));
});
beforeEach(() => ctx.reset());

describe("opaqueValues, with values a secret holds", () => {
	const samples = opaqueValueSamples().filter(
		(sample) => Buffer.byteLength(sample.value) <= MAX_SECRET_BYTES,
	);
	it("keeps every sample but the 200 KiB one", () => {
		expect(samples.length).toBe(opaqueValueSamples().length - 1);
	});
	for (const sample of samples) {
		it(`${sample.name} comes back byte-identical`, () => checkOpaqueValue(ctx, sample));
	}
	it("a 60 KiB value with emoji across buffer boundaries comes back byte-identical", () =>
		checkOpaqueValue(ctx, { name: "a 60 KiB value", value: largeOpaqueValue(60 * 1024) }));
});

describe("parallelSaves and atomicWrites, with 48 KiB values", () => {
	it("20 concurrent write() calls from two instances leave exactly one complete value", () =>
		checkParallelWrites(ctx, { bytes: BIG_BYTES }));
	// Each saver's user carries 8 KiB of padding: 4 of them merged still fit one secret.
	it("4 concurrent saveToken() calls with different users leave a cache that loads", () =>
		checkParallelSaves(ctx, { savers: 4 }));
	it("a reader polling during 30 writes only ever sees whole values", () =>
		checkReadersSeeWholeValues(ctx, { bytes: BIG_BYTES }));
});

describe("a value larger than a secret holds", () => {
	it("is refused with backend_io naming the limit, and the stored value stays", async () => {
		const backend = await ctx.create();
		await backend.write("kept");
		const error = await backend.write(largeOpaqueValue(200 * 1024)).catch((e: unknown) => e);
		expectO365Error(error, ["backend_io"], "writing 200 KiB");
		expect(String(error)).toContain("65536 bytes");
		const stale = await backend.readVersioned?.();
		const conditional = await backend
			.writeIfVersion?.(largeOpaqueValue(70 * 1024), stale?.version ?? null)
			.catch((e: unknown) => e);
		expectO365Error(conditional, ["backend_io"], "writeIfVersion of 70 KiB");
		expect(await backend.read()).toBe("kept");
	});
});
