/**
 * Output formats of `get` and `request`: pretty JSON (the default), JSON Lines, or a text table.
 * Results go to stdout only; stderr is for progress and errors.
 */

import { UsageError } from "./errors.js";

export const OUTPUT_FORMATS = ["json", "jsonl", "table"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function readOutputFormat(value: string | undefined): OutputFormat {
	if (value === undefined) return "json";
	if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
	throw new UsageError(`unknown --output '${value.slice(0, 40)}'; use one of ${OUTPUT_FORMATS.join(", ")}`);
}

/**
 * Formats a response body (`body`) or the items of a whole collection (`items`, from `--all`).
 * jsonl and table print a collection's items, one per line or row.
 */
export function formatResult(result: { body: unknown } | { items: unknown[] }, format: OutputFormat): string {
	const items = "items" in result ? result.items : collectionItems(result.body);
	if (format === "json")
		return `${JSON.stringify("items" in result ? result.items : result.body, null, 2)}\n`;
	const rows = items ?? [(result as { body: unknown }).body];
	if (format === "jsonl") return rows.map((row) => `${JSON.stringify(row)}\n`).join("");
	return items === undefined ? propertyTable(rows[0]) : itemTable(rows);
}

function collectionItems(body: unknown): unknown[] | undefined {
	const value = (body as { value?: unknown } | null)?.value;
	return Array.isArray(value) ? value : undefined;
}

/** One row per item; columns are the items' keys (OData annotations left out) in first-seen order. */
function itemTable(items: unknown[]): string {
	const columns: string[] = [];
	for (const item of items) {
		if (typeof item !== "object" || item === null) continue;
		for (const key of Object.keys(item)) {
			if (!key.includes("@odata.") && !columns.includes(key)) columns.push(key);
		}
	}
	if (columns.length === 0) return items.map((item) => `${cell(item)}\n`).join("");
	const rows = items.map((item) =>
		columns.map((column) => cell((item as Record<string, unknown>)?.[column])),
	);
	return renderTable(columns, rows);
}

/** A single object as two columns, property and value. */
function propertyTable(body: unknown): string {
	if (typeof body !== "object" || body === null) return `${cell(body)}\n`;
	const rows = Object.entries(body)
		.filter(([key]) => !key.startsWith("@odata."))
		.map(([key, value]) => [key, cell(value)]);
	return renderTable(["property", "value"], rows);
}

function renderTable(header: string[], rows: string[][]): string {
	const widths = header.map((title, index) =>
		Math.max(title.length, ...rows.map((row) => row[index]?.length ?? 0)),
	);
	const line = (cells: string[]) =>
		`${cells
			.map((text, index) => text.padEnd(widths[index] ?? 0))
			.join("  ")
			.trimEnd()}\n`;
	return line(header) + line(widths.map((width) => "-".repeat(width))) + rows.map(line).join("");
}

const MAX_CELL = 60;

function cell(value: unknown): string {
	const text =
		value === undefined || value === null
			? ""
			: typeof value === "object"
				? JSON.stringify(value)
				: String(value);
	const flat = text.replace(/\s+/g, " ");
	return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}
