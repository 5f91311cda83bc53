import { randomBytes, randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { expectSameText } from "../assertions.js";
import { hasCompareAndSet } from "../capabilities.js";
import type { SuiteContext } from "../context.js";
import { describeGroup } from "../group.js";

/** A value the store must keep byte for byte, and what makes it awkward. */
export interface OpaqueValueSample {
	name: string;
	value: string;
}

/**
 * About `bytes` UTF-8 bytes of random base64 with a four-byte emoji every 997 characters, so that
 * multi-byte characters straddle every 16/64 KiB buffer boundary a driver might read in.
 */
export function largeOpaqueValue(bytes: number): string {
	const parts: string[] = [];
	let size = 0;
	while (size < bytes) {
		const chunk = `${randomBytes(747).toString("base64")}🔐`;
		parts.push(chunk);
		size += Buffer.byteLength(chunk);
	}
	return parts.join("");
}

/** The awkward values of the opaqueValues group; fresh random markers on every call. */
export function opaqueValueSamples(): OpaqueValueSample[] {
	const marker = randomUUID();
	return [
		{
			name: "unicode: emoji, RTL and CJK text",
			value: `🔐 👩‍👩‍👧‍👦 🇳🇴 ${marker} שלום مرحبا ‏עברית‎ 令牌缓存 トークン 토큰 é é ﷽`,
		},
		{ name: "a 200 KiB value", value: largeOpaqueValue(200 * 1024) },
		{
			name: "JSON-looking text with odd spacing",
			value: `{ "Account" :{  },\n\t"marker":"${marker}" ,"n": 1.50 , "e":"\\u00e9\\n" }  `,
		},
		{ name: "leading and trailing whitespace and newlines", value: ` \n\t ${marker} \r\n \n\n` },
		{ name: "a value that looks like a number", value: "0012345678901234567890.50" },
		{ name: "a value that looks like JSON null", value: "null" },
		{
			name: "quotes, backslashes and shell metacharacters",
			value: `'"\\ \${HOME} $(id) \`id\` %s %2F ${marker}`,
		},
	];
}

/** What `write` stores comes back byte-identical from `read` (and `readVersioned`) elsewhere. */
export async function checkOpaqueValue(ctx: SuiteContext, sample: OpaqueValueSample): Promise<void> {
	const writer = await ctx.create();
	await writer.write(sample.value);
	const reader = await ctx.create();
	expectSameText(await reader.read(), sample.value, `${sample.name}, by read()`);
	if (hasCompareAndSet(reader)) {
		const versioned = await reader.readVersioned();
		expect(typeof versioned?.version, "readVersioned() must give a version").toBe("string");
		expectSameText(versioned?.value, sample.value, `${sample.name}, by readVersioned()`);
	}
}

/** opaqueValues: the store keeps any text exactly as given; it never parses, trims or re-encodes. */
export function opaqueValuesTests(ctx: SuiteContext): void {
	describeGroup(ctx, "opaqueValues", () => {
		for (const sample of opaqueValueSamples()) {
			it(`${sample.name} comes back byte-identical`, () => checkOpaqueValue(ctx, sample), ctx.timeoutMs);
		}
	});
}
