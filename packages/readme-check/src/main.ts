/**
 * `pnpm typecheck` step: type-checks every ```ts block of the READMEs listed in DOCUMENTS against
 * the packages' real API. Each block becomes a module (with the shared prelude and its own
 * header) in a scratch folder inside this package, so `@o365/*` resolve as in an app; `tsc
 * --noEmit` checks them all at once and errors are reported at their README line.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { extractSnippets, type Snippet } from "./extract-snippets.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const root = path.resolve(packageDir, "../..");
const scratch = path.join(packageDir, "node_modules", ".cache", "readme-snippets");

interface Written {
	file: string;
	document: string;
	snippet: Snippet;
	headerLines: number;
}

/**
 * The documents checked. The package READMEs are not yet: many of their blocks are fragments that
 * lean on the block before (`account`, `idp`); add each here once its blocks stand alone (or carry
 * a ts-check-header), e.g. "packages/core/README.md".
 */
const DOCUMENTS: readonly string[] = ["README.md"];

function main(): number {
	rmSync(scratch, { recursive: true, force: true });
	mkdirSync(scratch, { recursive: true });
	const written: Written[] = [];
	const skipped: string[] = [];
	for (const document of DOCUMENTS) {
		const snippets = extractSnippets(readFileSync(path.join(root, document), "utf8"), document);
		for (const snippet of snippets) {
			if (snippet.skipReason !== undefined) {
				skipped.push(`${document}:${snippet.line}: ${snippet.skipReason}`);
				continue;
			}
			const file = path.join(
				scratch,
				snippet.fileName ?? `${document.replace(/[/\\.]/g, "_")}_L${snippet.line}.ts`,
			);
			const header = snippet.header === "" ? [] : snippet.header.split("\n");
			writeFileSync(file, [...header, snippet.code, "export {};", ""].join("\n"));
			written.push({ file, document, snippet, headerLines: header.length });
		}
	}
	writeFileSync(
		path.join(scratch, "tsconfig.json"),
		JSON.stringify({
			extends: path.join(root, "tsconfig.base.json"),
			compilerOptions: { noEmit: true, declaration: false, declarationMap: false, sourceMap: false },
			files: [path.join(packageDir, "src", "prelude.d.ts"), ...written.map(({ file }) => file)],
		}),
	);

	const tsc = createRequire(path.join(root, "package.json")).resolve("typescript/bin/tsc");
	let output = "";
	let failed = false;
	try {
		execFileSync(process.execPath, [tsc, "-p", path.join(scratch, "tsconfig.json"), "--pretty", "false"], {
			cwd: scratch,
			encoding: "utf8",
			stdio: "pipe",
		});
	} catch (error) {
		failed = true;
		const { stdout, stderr } = error as { stdout?: string; stderr?: string };
		output = `${stdout ?? ""}${stderr ?? ""}`;
	}

	const byFile = new Map(written.map((entry) => [path.resolve(entry.file), entry]));
	const problems = output
		.split("\n")
		.filter((line) => line.trim() !== "")
		.map((line) => {
			const match = /^(.*?)\((\d+),(\d+)\): (.*)$/.exec(line);
			const entry = match ? byFile.get(path.resolve(scratch, match[1] ?? "")) : undefined;
			if (!match || !entry) return line;
			const lineInFile = Number(match[2]);
			const where =
				lineInFile <= entry.headerLines
					? `${entry.document}:${entry.snippet.line - 1} (ts-check-header of the block)`
					: `${entry.document}:${entry.snippet.line + lineInFile - 1 - entry.headerLines}:${match[3]}`;
			return `${where}: ${match[4]}`;
		});

	for (const skip of skipped) console.log(`readme-check: skipped ${skip}`);
	if (failed) {
		console.error(problems.join("\n"));
		console.error(
			`readme-check: the README code above does not type-check (${written.length} blocks checked).`,
		);
		return 1;
	}
	console.log(
		`readme-check: ${written.length} README code blocks type-check (${skipped.length} skipped, listed above).`,
	);
	return 0;
}

process.exitCode = main();
