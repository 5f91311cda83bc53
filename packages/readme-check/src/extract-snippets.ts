/**
 * Finds the TypeScript code blocks of a Markdown document and the markers that steer their check.
 *
 * A block is a fence opened by ```ts or ```typescript. Right before it (blank lines allowed), HTML
 * comments may say:
 * - `<!-- ts-check-header: declare const app: Express; -->`: code put before the block, for the
 *   free variables it assumes beyond the shared prelude (`src/prelude.d.ts`). Several allowed.
 * - `<!-- ts-check: skip (why) -->`: the block is not checked. The reason is required and is
 *   printed on every run, so a skip stays visible.
 * - `<!-- ts-check-file: kv-backend.ts -->`: the block's module file name, so that a later block
 *   can import it (`import { KvBackend } from "./kv-backend.js"`).
 */

export interface Snippet {
	/** 1-based line of the block's first code line in the document. */
	readonly line: number;
	readonly code: string;
	/** Code from `ts-check-header` markers, joined by newlines ("" without any). */
	readonly header: string;
	/** Why the block is not checked; `undefined` when it is checked. */
	readonly skipReason: string | undefined;
	/** The module file name a `ts-check-file` marker gave the block, e.g. `kv-backend.ts`. */
	readonly fileName: string | undefined;
}

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\s*$/;
const ANY_FENCE_OPEN = /^\s*(`{3,}|~{3,})/;
const HEADER_MARKER = /^\s*<!--\s*ts-check-header:\s*([\s\S]*?)\s*-->\s*$/;
const FILE_MARKER = /^\s*<!--\s*ts-check-file:\s*(.*?)\s*-->\s*$/;
const FILE_NAME = /^[a-z0-9][a-z0-9-]*\.ts$/;
const SKIP_MARKER = /^\s*<!--\s*ts-check:\s*skip\s*(?:\((.*)\))?\s*-->\s*$/;
const ANY_CHECK_MARKER = /^\s*<!--\s*ts-check/;

/** Raised for a marker the checker cannot honour; says where and how to fix it. */
export class SnippetMarkerError extends Error {
	override readonly name = "SnippetMarkerError";
}

export function extractSnippets(markdown: string, documentName = "README.md"): Snippet[] {
	const lines = markdown.split(/\r?\n/);
	const snippets: Snippet[] = [];
	let headers: string[] = [];
	let skipReason: string | undefined;
	let fileName: string | undefined;
	const fileNames = new Set<string>();

	for (let index = 0; index < lines.length; index++) {
		const text = lines[index] ?? "";
		const where = `${documentName}:${index + 1}`;

		const header = HEADER_MARKER.exec(text);
		if (header) {
			headers.push(header[1] ?? "");
			continue;
		}
		const file = FILE_MARKER.exec(text);
		if (file) {
			const name = file[1] ?? "";
			if (!FILE_NAME.test(name) || fileNames.has(name)) {
				throw new SnippetMarkerError(
					`${where}: a ts-check-file name must be unique, lowercase, and end in .ts (e.g. kv-backend.ts).`,
				);
			}
			fileNames.add(name);
			fileName = name;
			continue;
		}
		const skip = SKIP_MARKER.exec(text);
		if (skip) {
			const reason = skip[1]?.trim();
			if (!reason) {
				throw new SnippetMarkerError(
					`${where}: a skip needs its reason, e.g. <!-- ts-check: skip (API lands with issue 7 merge) -->.`,
				);
			}
			skipReason = reason;
			continue;
		}
		if (ANY_CHECK_MARKER.test(text)) {
			throw new SnippetMarkerError(
				`${where}: unknown marker; use <!-- ts-check-header: … --> or <!-- ts-check: skip (reason) -->.`,
			);
		}
		if (text.trim() === "") continue;

		const open = ANY_FENCE_OPEN.exec(text);
		if (!open) {
			if (headers.length > 0 || skipReason !== undefined || fileName !== undefined) {
				throw new SnippetMarkerError(`${where}: a ts-check marker must come right before a \`\`\`ts block.`);
			}
			continue;
		}
		const fence = open[1] ?? "```";
		const isTypeScript = FENCE_OPEN.test(text);
		if (!isTypeScript && (headers.length > 0 || skipReason !== undefined || fileName !== undefined)) {
			throw new SnippetMarkerError(`${where}: a ts-check marker must come right before a \`\`\`ts block.`);
		}
		const body: string[] = [];
		const first = index + 1;
		index++;
		while (index < lines.length && !(lines[index] ?? "").trim().startsWith(fence)) {
			body.push(lines[index] ?? "");
			index++;
		}
		if (isTypeScript) {
			snippets.push({
				line: first + 1,
				code: body.join("\n"),
				header: headers.join("\n"),
				skipReason,
				fileName,
			});
		}
		headers = [];
		skipReason = undefined;
		fileName = undefined;
	}
	return snippets;
}
