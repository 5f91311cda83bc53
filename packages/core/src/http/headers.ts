/**
 * Request headers as a plain object with lower-case names: header names are case-insensitive
 * (python-o365 compared them case-sensitively, so `prefer` and `Prefer` fought), and fetch takes
 * a plain object without copying it into a `Headers` first.
 */

/** Headers as the caller may give them: a record, a `Headers`, or name/value pairs. */
export type HeaderInput = Record<string, string | undefined> | Headers | Iterable<readonly [string, string]>;

/** Headers with lower-case names. */
export type HeaderRecord = Record<string, string>;

/**
 * Copies `input` into `target` (lower-casing names; a caller's value replaces the one there),
 * except `Prefer`, whose preferences are combined: `Prefer: a` plus `Prefer: b` → `Prefer: a, b`,
 * without duplicates. `undefined` values are skipped.
 */
export function mergeHeaders(target: HeaderRecord, input: HeaderInput | undefined): HeaderRecord {
	if (input === undefined) return target;
	const entries: Iterable<readonly [string, string | undefined]> =
		input instanceof Headers || Symbol.iterator in input
			? (input as Iterable<readonly [string, string]>)
			: Object.entries(input);
	for (const [name, value] of entries) {
		if (value === undefined) continue;
		const key = name.toLowerCase();
		const existing = target[key];
		target[key] = key === "prefer" && existing !== undefined ? mergePrefer(value, existing) : String(value);
	}
	return target;
}

/** Combines two `Prefer` header values, `first`'s preferences first, dropping repeats. */
export function mergePrefer(first: string, second: string): string {
	const seen = new Set<string>();
	const merged: string[] = [];
	for (const preference of [...splitPreferences(first), ...splitPreferences(second)]) {
		if (seen.has(preference)) continue;
		seen.add(preference);
		merged.push(preference);
	}
	return merged.join(", ");
}

/** Splits a `Prefer` value at commas outside quotes: `a="x, y", b` → [`a="x, y"`, `b`]. */
function splitPreferences(value: string): string[] {
	const parts: string[] = [];
	let start = 0;
	let quoted = false;
	for (let index = 0; index < value.length; index++) {
		const char = value[index];
		if (char === '"') quoted = !quoted;
		else if (char === "\\" && quoted) index++;
		else if (char === "," && !quoted) {
			parts.push(value.slice(start, index));
			start = index + 1;
		}
	}
	parts.push(value.slice(start));
	return parts.map((part) => part.trim()).filter((part) => part !== "");
}
