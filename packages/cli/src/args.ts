/**
 * Command and option tables: one table per command drives both `node:util` `parseArgs` and the
 * `--help` text, so no option can exist without its help line.
 */

import { parseArgs } from "node:util";
import { UsageError } from "./errors.js";

/** One option of a command. */
export interface OptionSpec {
	type: "string" | "boolean";
	/** One-letter alias, e.g. `o` for `-o`. */
	short?: string;
	/** May be given several times (values are collected in order). */
	multiple?: boolean;
	/** The value's placeholder in help, e.g. `NAME`. */
	value?: string;
	/** One line of help. */
	description: string;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** A command: its name, help text and options. */
export interface CommandSpec {
	name: string;
	/** One line for `o365 --help`. */
	summary: string;
	/** The synopsis after `o365 `, e.g. `get <path> [options]`. */
	usage: string;
	/** Paragraphs shown under the synopsis. */
	details?: readonly string[];
	options: OptionTable;
	/** Positional arguments: how many, at least and at most. */
	positionals: { min: number; max: number; names: string };
	examples?: readonly string[];
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
	values: OptionValues;
	positionals: string[];
}

/** Parses a command's arguments; anything wrong is a {@link UsageError} naming `--help`. */
export function parseCommandArgs(spec: CommandSpec, args: readonly string[]): ParsedArgs {
	const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
	for (const [name, option] of Object.entries(spec.options)) {
		options[name] = {
			type: option.type,
			...(option.short === undefined ? {} : { short: option.short }),
			...(option.multiple ? { multiple: true } : {}),
		};
	}
	let parsed: ReturnType<typeof parseArgs>;
	try {
		parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
	} catch (error) {
		// Node's message goes on about positionals after "--": its first sentence says what is wrong.
		const reason =
			error instanceof Error ? (error.message.split(/\.(?:\s|$)/)[0] ?? error.message) : String(error);
		throw new UsageError(`${reason}; see \`o365 ${spec.name} --help\``);
	}
	const values = parsed.values as OptionValues;
	if (values.help === true) return { values, positionals: parsed.positionals };
	const count = parsed.positionals.length;
	if (count < spec.positionals.min) {
		throw new UsageError(
			`\`o365 ${spec.name}\` needs ${spec.positionals.names}; see \`o365 ${spec.name} --help\``,
		);
	}
	if (count > spec.positionals.max) {
		const extra = parsed.positionals[spec.positionals.max];
		throw new UsageError(`unexpected argument '${extra}'; see \`o365 ${spec.name} --help\``);
	}
	return { values, positionals: parsed.positionals };
}

/** The `--help` text of a command. */
export function formatHelp(spec: CommandSpec): string {
	const lines = [`${spec.summary}`, "", `Usage: o365 ${spec.usage}`];
	for (const paragraph of spec.details ?? []) lines.push("", paragraph);
	lines.push("", "Options:");
	const rows = Object.entries(spec.options).map(([name, option]) => {
		const flag = `${option.short === undefined ? "    " : `-${option.short}, `}--${name}${option.value === undefined ? "" : ` ${option.value}`}`;
		return [flag, option.description + (option.multiple ? " (repeatable)" : "")] as const;
	});
	const width = Math.max(...rows.map(([flag]) => flag.length));
	for (const [flag, description] of rows) lines.push(`  ${flag.padEnd(width)}  ${description}`);
	if (spec.examples !== undefined && spec.examples.length > 0) {
		lines.push("", "Examples:");
		for (const example of spec.examples) lines.push(`  ${example}`);
	}
	return `${lines.join("\n")}\n`;
}

/** A string option's value, or undefined. */
export function stringOption(values: OptionValues, name: string): string | undefined {
	const value = values[name];
	return typeof value === "string" ? value : undefined;
}

/** A repeatable string option's values (empty when not given). */
export function listOption(values: OptionValues, name: string): string[] {
	const value = values[name];
	return Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
}
