/**
 * A pluggable logger. The library is silent unless a {@link Logger} is given (`logger` option of
 * `Connection`/`Account`). `console`, pino and winston loggers fit as they are; every line passes
 * through `redactSecrets` first, and no Authorization header, token or secret is ever logged.
 */

import { redactSecrets } from "../errors.js";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** Flat facts about a log line: method, url (without query), status, attempt… Never secrets. */
export type LogDetails = Record<string, string | number | boolean | undefined>;

/** What the library logs to; each method may be left out to drop that level. */
export interface Logger {
	debug?(message: string, details?: LogDetails): void;
	info?(message: string, details?: LogDetails): void;
	warn?(message: string, details?: LogDetails): void;
	error?(message: string, details?: LogDetails): void;
}

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

/**
 * A logger that prints to stderr lines at `level` and above, prefixed with `[o365]`.
 * @param level - the lowest level printed. @default "info"
 */
export function consoleLogger(level: LogLevel = "info"): Logger {
	const lowest = LEVELS.indexOf(level);
	const logger: Logger = {};
	for (const name of LEVELS.slice(lowest)) {
		logger[name] = (message, details) => {
			const suffix = details === undefined ? "" : ` ${JSON.stringify(details)}`;
			console.error(`[o365] ${name}: ${message}${suffix}`);
		};
	}
	return logger;
}

/**
 * The library's side of a user's logger: drops lines for levels the logger lacks (callers check
 * `debugEnabled` before building debug lines) and redacts every string it passes on.
 */
export class SafeLogger {
	readonly #logger: Logger | undefined;
	/** Whether debug lines go anywhere; callers skip building them otherwise. */
	readonly debugEnabled: boolean;

	constructor(logger: Logger | undefined) {
		this.#logger = logger;
		this.debugEnabled = typeof logger?.debug === "function";
	}

	log(level: LogLevel, message: string, details?: LogDetails): void {
		const logger = this.#logger;
		const write = logger?.[level];
		if (typeof write !== "function") return;
		try {
			write.call(logger, redactSecrets(message), details === undefined ? undefined : redactDetails(details));
		} catch {
			// A failing logger must not fail the request it reports on.
		}
	}
}

function redactDetails(details: LogDetails): LogDetails {
	const copy: LogDetails = {};
	for (const [key, value] of Object.entries(details)) {
		copy[key] = typeof value === "string" ? redactSecrets(value) : value;
	}
	return copy;
}
