import { describe, expect, it } from "vitest";
import { extractSnippets, SnippetMarkerError } from "../src/extract-snippets.js";

const fence = "```";

describe("extractSnippets", () => {
	it("returns each ts/typescript block with the line of its first code line, and nothing else", () => {
		const markdown = [
			"# Title", // 1
			`${fence}sh`, // 2
			"pnpm add @o365/core", // 3
			fence, // 4
			`${fence}ts`, // 5
			"const a = 1;", // 6
			"const b = 2;", // 7
			fence, // 8
			`${fence}typescript`, // 9
			"const c = 3;", // 10
			fence, // 11
		].join("\n");
		const snippets = extractSnippets(markdown);
		expect(
			snippets.map(({ line, code }) => ({ line, code })),
			"blocks and their lines",
		).toEqual([
			{ line: 6, code: "const a = 1;\nconst b = 2;" },
			{ line: 10, code: "const c = 3;" },
		]);
	});

	it("attaches headers and a skip reason to the next block only", () => {
		const markdown = [
			"<!-- ts-check-header: declare const app: unknown; -->",
			"<!-- ts-check-header: declare const db: unknown; -->",
			"",
			`${fence}ts`,
			"app;",
			fence,
			"<!-- ts-check: skip (API lands with issue 7 merge) -->",
			`${fence}ts`,
			"later();",
			fence,
			`${fence}ts`,
			"plain();",
			fence,
		].join("\n");
		const [first, second, third] = extractSnippets(markdown);
		expect(first?.header, "both headers, in order").toBe(
			"declare const app: unknown;\ndeclare const db: unknown;",
		);
		expect(first?.skipReason, "the first block is checked").toBeUndefined();
		expect(second?.skipReason, "the skip reason is kept to be printed").toBe("API lands with issue 7 merge");
		expect(second?.header, "headers do not leak to the next block").toBe("");
		expect(third?.skipReason, "a skip does not leak to the next block").toBeUndefined();
	});

	it("keeps code that contains a shorter fence-like line inside a longer fence", () => {
		const markdown = ["````ts", "const s = `", "```", "`;", "````"].join("\n");
		expect(extractSnippets(markdown)[0]?.code, "inner backticks are code").toBe("const s = `\n```\n`;");
	});

	it("refuses a skip without a reason, naming the line", () => {
		const markdown = ["text", "<!-- ts-check: skip -->", `${fence}ts`, "x;", fence].join("\n");
		expect(() => extractSnippets(markdown, "README.md")).toThrow(SnippetMarkerError);
		expect(() => extractSnippets(markdown, "README.md")).toThrow(/README\.md:2: a skip needs its reason/);
	});

	it("refuses a marker that is not followed by a ts block, or that it does not know", () => {
		const stray = ["<!-- ts-check: skip (why) -->", "Some prose.", `${fence}ts`, "x;", fence].join("\n");
		expect(() => extractSnippets(stray), "marker before prose").toThrow(/must come right before/);
		const beforeShell = ["<!-- ts-check-header: declare const a: 1; -->", `${fence}sh`, "ls", fence].join(
			"\n",
		);
		expect(() => extractSnippets(beforeShell), "marker before a sh block").toThrow(/must come right before/);
		const typo = ["<!-- ts-check: skpi (why) -->", `${fence}ts`, "x;", fence].join("\n");
		expect(() => extractSnippets(typo), "misspelt marker").toThrow(/unknown marker/);
	});
});

describe("extractSnippets: ts-check-file", () => {
	it("names a block's module so a later block can import it, and refuses a clash", () => {
		const markdown = [
			"<!-- ts-check-file: kv-backend.ts -->",
			`${fence}ts`,
			"export const a = 1;",
			fence,
		].join("\n");
		expect(extractSnippets(markdown)[0]?.fileName, "the given name").toBe("kv-backend.ts");
		expect(() => extractSnippets(`${markdown}\n${markdown}`), "the same name twice").toThrow(
			/must be unique/,
		);
		const bad = ["<!-- ts-check-file: ../escape.ts -->", `${fence}ts`, "x;", fence].join("\n");
		expect(() => extractSnippets(bad), "a path instead of a name").toThrow(/must be unique, lowercase/);
	});
});
