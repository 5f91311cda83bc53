import { randomUUID } from "node:crypto";
import { setImmediate as tick } from "node:timers/promises";
import type { TokenBackend } from "@o365/core";
import { expect, it } from "vitest";
import { hasCompareAndSet } from "../capabilities.js";
import type { SuiteContext } from "../context.js";
import { describeGroup } from "../group.js";
import { largeOpaqueValue } from "./opaque-values.js";

/** How many values {@link checkReadersSeeWholeValues} writes, from two instances at once. */
export const ATOMIC_WRITES = 30;

/** Says what a reader saw without printing it: its length, and the written value it starts like. */
function describeSeen(seen: string, values: readonly string[]): string {
	const claimed = values[Number(seen.split(":", 1)[0])];
	return claimed === undefined
		? `${seen.length} characters that start like no value written`
		: `${seen.length} characters of value #${seen.split(":", 1)[0]}, which has ${claimed.length}`;
}

/**
 * While two instances write many large values, one after another each, a third instance polls
 * `read()` (and `readVersioned()` with compare-and-set) without pause: every value it sees is one
 * of the complete values written, never half of one, a mix, or nothing. End states alone cannot
 * show this: a write that stores a value in two steps ends whole.
 */
export async function checkReadersSeeWholeValues(
	ctx: SuiteContext,
	options: { writes?: number; bytes?: number } = {},
): Promise<void> {
	const values = Array.from(
		{ length: options.writes ?? ATOMIC_WRITES },
		(_, index) => `${index}:${randomUUID()}:${largeOpaqueValue(options.bytes ?? 64 * 1024)}`,
	);
	const written = new Set(values);
	const writers = [await ctx.create(), await ctx.create()];
	const reader: TokenBackend = await ctx.create();
	// Something is stored from the start, so a read that finds nothing is a torn write too.
	await writers[0]?.write(values[0] ?? "");

	const torn: string[] = [];
	let reads = 0;
	const see = (seen: string | undefined | null, by: string) => {
		reads += 1;
		if (seen === undefined || seen === null) torn.push(`${by} found nothing stored`);
		else if (!written.has(seen)) torn.push(`${by} returned ${describeSeen(seen, values)}`);
	};
	let writing = true;
	const polling = (async () => {
		while (writing) {
			see(await reader.read(), "read()");
			if (hasCompareAndSet(reader)) see((await reader.readVersioned())?.value, "readVersioned()");
			await tick(); // lets a writer that yields between two steps take its next step
		}
	})();
	try {
		await Promise.all(
			writers.map(async (writer, offset) => {
				for (let index = 1 + offset; index < values.length; index += writers.length) {
					await writer.write(values[index] ?? "");
				}
			}),
		);
	} finally {
		writing = false;
		await polling;
	}
	expect(reads, "reads made while the values were written").toBeGreaterThan(0);
	expect(torn.slice(0, 5), `reads, of ${reads}, that saw a value no write stored whole`).toEqual([]);
}

/** atomicWrites: readers never see half a value, whatever moment they read at. */
export function atomicWritesTests(ctx: SuiteContext): void {
	describeGroup(ctx, "atomicWrites", () => {
		it(
			`a reader polling during ${ATOMIC_WRITES} writes of 64 KiB values only ever sees whole values`,
			() => checkReadersSeeWholeValues(ctx),
			ctx.timeoutMs,
		);
	});
}
