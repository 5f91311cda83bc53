/**
 * The copy of a lower layer's error that an `O365Error` keeps as `cause`. A driver or HTTP
 * library error may carry what it was given (Prisma prints the value it was asked to write, and
 * keeps the arguments in `meta`), so the original is never kept: the copy has its class name, its
 * redacted message and stack frames, its error-code fields, and copies of its own causes, and
 * drops everything else. Nothing is cut short: the driver's reason stays readable.
 */

/** Scalar fields that say what went wrong without quoting data: kept (strings redacted). */
const KEPT_FIELDS = [
	"code",
	"errno",
	"syscall",
	"status",
	"statusCode",
	"clientVersion",
	"errorCode",
	"subError",
	"correlationId",
] as const;
/** How deep a cause chain is copied; deeper causes are summarised. */
const MAX_DEPTH = 8;
/** How many errors of an `AggregateError` are copied. */
const MAX_AGGREGATED = 16;

/** `cause` with every secret `redact` knows about removed; see the module documentation. */
export function redactCause(cause: unknown, redact: (text: string) => string): unknown {
	try {
		return copyCause(cause, redact, 0, new Map());
	} catch {
		// A proxy or a throwing getter: what it holds cannot be checked, so none of it is kept.
		return "[cause withheld: it could not be read]";
	}
}

function copyCause(
	cause: unknown,
	redact: (text: string) => string,
	depth: number,
	seen: Map<object, unknown>,
) {
	if (typeof cause === "string") return redact(cause);
	if (cause === null || typeof cause !== "object") {
		return typeof cause === "function" || typeof cause === "symbol" ? String(typeof cause) : cause;
	}
	// The platform's abort reasons carry fixed texts; callers compare them by identity.
	if (cause instanceof DOMException) return cause;
	const done = seen.get(cause);
	if (done !== undefined) return done;
	if (depth >= MAX_DEPTH) return "[deeper causes withheld]";
	const source = cause as Record<string, unknown>;
	if (!(cause instanceof Error) && typeof source.message !== "string") {
		return `[a ${cause.constructor?.name ?? "null-prototype object"} cause withheld: not an Error]`;
	}
	const name = typeof source.name === "string" ? redact(source.name) : "Error";
	const message = redact(String(source.message));
	const copy: Error = cause instanceof AggregateError ? new AggregateError([], message) : new Error(message);
	seen.set(cause, copy);
	Object.defineProperty(copy, "name", { value: name, configurable: true, writable: true });
	Object.defineProperty(copy, "stack", {
		value: [`${name}: ${message}`, ...framesOf(source.stack).map(redact)].join("\n"),
		configurable: true,
		writable: true,
	});
	for (const field of KEPT_FIELDS) {
		const value = source[field];
		if (typeof value === "string") Object.assign(copy, { [field]: redact(value) });
		else if (typeof value === "number" || typeof value === "boolean") Object.assign(copy, { [field]: value });
	}
	if (cause instanceof AggregateError && Array.isArray(cause.errors)) {
		const errors = cause.errors.slice(0, MAX_AGGREGATED).map((e) => copyCause(e, redact, depth + 1, seen));
		Object.defineProperty(copy, "errors", { value: errors, configurable: true, writable: true });
	}
	if ("cause" in source && source.cause !== undefined) {
		Object.defineProperty(copy, "cause", {
			value: copyCause(source.cause, redact, depth + 1, seen),
			configurable: true,
			writable: true,
		});
	}
	return copy;
}

/** The `at …` lines of a stack: its first lines repeat the message, which may quote data. */
function framesOf(stack: unknown): string[] {
	if (typeof stack !== "string") return [];
	return stack.split("\n").filter((line) => /^\s+at /.test(line));
}
