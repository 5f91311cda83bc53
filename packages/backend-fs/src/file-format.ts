import { ConfigurationError } from "@o365/core";
import { FILE_MODE } from "./atomic-write-file.js";

/** How the token file's JSON is laid out. */
export type TokenFileFormat = "json" | "python-o365";

/** Checks `fileFormat` and `fileMode`, and fills in their defaults. */
export function fileFormat(options: { fileFormat?: unknown; fileMode?: unknown }): {
	fileFormat: TokenFileFormat;
	fileMode: number;
} {
	const { fileFormat = "json", fileMode = FILE_MODE } = options;
	if (fileFormat !== "json" && fileFormat !== "python-o365") {
		throw new ConfigurationError(
			"backend_invalid_config",
			'fileFormat must be "json" (compact) or "python-o365" (what python-o365 writes: json.dumps(cache, indent=4)).',
		);
	}
	if (typeof fileMode !== "number" || !Number.isInteger(fileMode) || fileMode < 0 || fileMode > 0o777) {
		throw new ConfigurationError(
			"backend_invalid_config",
			"fileMode must be permission bits between 0o000 and 0o777 (e.g. 0o600, or 0o644 as python-o365 leaves it).",
		);
	}
	return { fileFormat, fileMode };
}

/**
 * Python's `json.dumps(value, indent=4)`, byte for byte: 4-space indents, `", "`/`": "` turned
 * into `","`+newline and `": "`, every character outside printable ASCII escaped as `\uXXXX`
 * (lower-case hex, surrogate pairs for astral characters), no trailing newline.
 */
export function pythonJsonDumps(value: unknown, depth = 0): string {
	if (value === null || value === undefined) return "null";
	if (typeof value === "string") return pythonString(value);
	if (typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
	const inner = "    ".repeat(depth + 1);
	const outer = "    ".repeat(depth);
	if (Array.isArray(value)) {
		if (value.length === 0) return "[]";
		const items = value.map((item) => inner + pythonJsonDumps(item, depth + 1));
		return `[\n${items.join(",\n")}\n${outer}]`;
	}
	const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
	if (entries.length === 0) return "{}";
	const items = entries.map(
		([key, item]) => `${inner}${pythonString(key)}: ${pythonJsonDumps(item, depth + 1)}`,
	);
	return `{\n${items.join(",\n")}\n${outer}}`;
}

const SHORT_ESCAPES: Record<string, string> = {
	'"': '\\"',
	"\\": "\\\\",
	"\n": "\\n",
	"\r": "\\r",
	"\t": "\\t",
	"\b": "\\b",
	"\f": "\\f",
};

/** Python's `ensure_ascii` string: only `' '`..`'~'` stay as they are. */
function pythonString(text: string): string {
	// Iterating UTF-16 code units (not code points) gives Python's surrogate-pair escapes.
	let out = '"';
	for (let i = 0; i < text.length; i++) {
		const char = text.charAt(i);
		const code = text.charCodeAt(i);
		const short = SHORT_ESCAPES[char];
		if (short !== undefined) out += short;
		else if (code >= 0x20 && code <= 0x7e) out += char;
		else out += `\\u${code.toString(16).padStart(4, "0")}`;
	}
	return `${out}"`;
}
