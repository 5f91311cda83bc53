/**
 * Reads a caller's options object once, safely: anything that is not an object, a getter or a
 * Proxy trap that throws, and a value of the wrong type become one typed error naming the option
 * and what to pass, instead of a bare `TypeError` deep inside a call. What comes back is a plain
 * snapshot, so later code never runs the caller's getters again.
 */

import { ConfigurationError, O365Error } from "../errors.js";
import { ABORT_SIGNAL_EXPECTED, isAbortSignal } from "./abort.js";

/** Says what the option must be when `value` is wrong (e.g. "a string"), else `undefined`. */
export type OptionCheck = (value: unknown) => string | undefined;

/** The checks of some of the options read; the others are copied as they are, for a later step to check. */
export type OptionChecks<T> = { readonly [K in keyof T]?: OptionCheck };

export interface OptionsContext {
	/** Who takes the options, as messages name it: `Account`, `getAccessToken()`. */
	where: string;
	/** `invalid_option` (a ConfigurationError) for set-up and sign-in, `invalid_request` for Graph calls. */
	code: "invalid_option" | "invalid_request";
	/** Refuse keys not among the reader's keys (constructors, where a typo would be silently ignored). */
	strict?: boolean;
}

const NO_OPTIONS = Object.freeze({});

/**
 * A reader for one kind of options object: `undefined` gives `{}`; a non-object, an array or an
 * object that throws when read is refused; each option present (own or inherited, enumerable) is
 * checked and copied. Per-call options pass here on every Graph request, so it is one `for…in`.
 */
export function optionsReader<T extends object>(
	keys: readonly (keyof T & string)[],
	checks: OptionChecks<T>,
	context: OptionsContext,
): (options: unknown) => T {
	const { where } = context;
	const known: ReadonlySet<string> = new Set(keys);
	const checkOf = checks as Readonly<Record<string, OptionCheck | undefined>>;
	return (options) => {
		if (options === undefined) return NO_OPTIONS as T;
		if (options === null || typeof options !== "object" || safeIsArray(options)) {
			throw optionError(
				context,
				`${where} options must be an object such as { ${keys.slice(0, 2).join(", ")} } or left out; got ${describeValue(options)}.`,
			);
		}
		const snapshot: Record<string, unknown> = {};
		const problems: string[] = [];
		const unknown: string[] = [];
		let reading: string | undefined;
		try {
			for (const key in options) {
				reading = key;
				if (!known.has(key)) {
					if (context.strict) unknown.push(key);
					continue;
				}
				const value = (options as Record<string, unknown>)[key];
				if (value === undefined) continue;
				snapshot[key] = value;
				const expected = checkOf[key]?.(value);
				if (expected !== undefined) {
					problems.push(`${key} must be ${expected}; got ${describeValue(value)}`);
				}
			}
		} catch (error) {
			throw optionError(
				context,
				`reading ${reading === undefined ? "" : `\`${reading}\` of `}${where} options threw (see the cause); pass a plain object of values.`,
				error,
			);
		}
		if (unknown.length > 0) {
			throw optionError(
				context,
				`unknown ${where} option${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; the options are ${keys.join(", ")}.`,
			);
		}
		if (problems.length > 0) throw optionError(context, `invalid ${where} options: ${problems.join("; ")}.`);
		return snapshot as T;
	};
}

function optionError(context: OptionsContext, message: string, cause?: unknown): O365Error {
	const options = cause === undefined ? {} : { cause };
	return context.code === "invalid_option"
		? new ConfigurationError("invalid_option", message, options)
		: new O365Error("invalid_request", message, options);
}

function safeIsArray(value: unknown): boolean {
	try {
		return Array.isArray(value);
	} catch {
		return false;
	}
}

/** What `value` is, for messages; never echoes a string (it may be a secret) and never trips a Proxy. */
export function describeValue(value: unknown): string {
	if (value === null) return "null";
	switch (typeof value) {
		case "undefined":
			return "nothing";
		case "string":
			return value === "" ? "an empty string" : "a string";
		case "number":
		case "boolean":
			return `${typeof value} ${String(value)}`;
		case "symbol":
			return "a Symbol";
		case "bigint":
			return "a bigint";
		case "function":
			return "a function";
	}
	try {
		if (Array.isArray(value)) return "an array";
		const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor
			?.name;
		return typeof name === "string" && name !== "Object" && name !== "" ? `a ${name}` : "an object";
	} catch {
		return "an object that throws when inspected (a Proxy?)";
	}
}

// ---- checks ----

export const isString: OptionCheck = (value) => (typeof value === "string" ? undefined : "a string");

export const isBoolean: OptionCheck = (value) => (typeof value === "boolean" ? undefined : "true or false");

export const isFunction: OptionCheck = (value) => (typeof value === "function" ? undefined : "a function");

export const isNonNegativeNumber: OptionCheck = (value) =>
	typeof value === "number" && value >= 0 ? undefined : "a number of 0 or more";

/** Node's timers fire at once (with a warning) past this many milliseconds (about 24.8 days). */
const LONGEST_TIMER_MS = 2_147_483_647;

/** A time limit: milliseconds a timer can wait, or `Infinity` (or 0) for none. */
export const isTimeoutMs: OptionCheck = (value) =>
	typeof value === "number" && value >= 0 && (value <= LONGEST_TIMER_MS || value === Number.POSITIVE_INFINITY)
		? undefined
		: `a number of milliseconds from 0 to ${LONGEST_TIMER_MS} (about 24.8 days), or Infinity for none`;

/** A whole number of milliseconds a timer can wait (what `AbortSignal.timeout` takes). */
export const isTimerMs: OptionCheck = (value) =>
	typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= LONGEST_TIMER_MS
		? undefined
		: `a whole number of milliseconds from 0 to ${LONGEST_TIMER_MS} (about 24.8 days)`;

export const isSignal: OptionCheck = (value) => (isAbortSignal(value) ? undefined : ABORT_SIGNAL_EXPECTED);

export const isAbsoluteUrl: OptionCheck = (value) =>
	typeof value === "string" && URL.canParse(value)
		? undefined
		: "an absolute URL string such as 'https://app.example/callback'";

export const isStringArray: OptionCheck = (value) =>
	Array.isArray(value) && value.every((item) => typeof item === "string") ? undefined : "an array of strings";

export function isOneOf(values: readonly string[]): OptionCheck {
	return (value) =>
		typeof value === "string" && values.includes(value)
			? undefined
			: `one of ${values.map((v) => `'${v}'`).join(", ")}`;
}

/** Headers: a `Headers`, `[name, value]` pairs, or a plain object of string values. */
export const isHeaderInput: OptionCheck = (value) => {
	const expected =
		"a Headers, [name, value] pairs or an object of string values, e.g. { Prefer: 'outlook.body-content-type=\"text\"' }";
	if (isPlainObject(value)) return everyValue(value, isOptionalString) ? undefined : expected;
	if (value instanceof Headers) return undefined;
	if (Array.isArray(value)) {
		return value.every(
			(pair) =>
				Array.isArray(pair) &&
				pair.length === 2 &&
				typeof pair[0] === "string" &&
				typeof pair[1] === "string",
		)
			? undefined
			: expected;
	}
	return expected;
};

/** Whether `test` holds for every enumerable value of `record` (a `for…in`: cheaper than Object.values). */
export function everyValue(record: Record<string, unknown>, test: (value: unknown) => boolean): boolean {
	for (const key in record) if (!test(record[key])) return false;
	return true;
}

function isOptionalString(value: unknown): boolean {
	return value === undefined || typeof value === "string";
}

/** A plain object (`{}` or `Object.create(null)`), not a class instance, array or primitive. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (value === null || typeof value !== "object") return false;
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}
