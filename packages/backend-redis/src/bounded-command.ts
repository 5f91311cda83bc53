import { ConfigurationError, TokenBackendError } from "@o365/core";
import type { RedisCommands } from "./redis-commands.js";

/** What every command of one backend shares. */
export interface CommandContext {
	readonly commands: RedisCommands;
	/** The longest a command may take, in milliseconds. */
	readonly timeoutMs: number;
	/** The token's Redis key, for messages. */
	readonly key: string;
}

/** One command: what it does (for messages) and what to send. */
export interface Command {
	/** What the command does, for messages: `"read the token"`. */
	what: string;
	args: string[];
	signal?: AbortSignal | undefined;
	/**
	 * Called with the command's reply promise when the call gave up on it (timeout or abort)
	 * while it may still run on the server: undo what it may do there (a lease it takes).
	 */
	onAbandoned?: (reply: Promise<unknown>) => void;
}

/**
 * Sends one command and waits for it at most `timeoutMs`, or until `signal` aborts: a Redis
 * client waits for an unreachable server for as long as it retries. Driver errors become a
 * `TokenBackendError` coded `backend_io` that names the server and what to check (the cause is
 * kept, redacted by core); a timeout too. An abort rejects with the signal's reason.
 */
export async function sendBounded(ctx: CommandContext, command: Command): Promise<unknown> {
	const { signal } = command;
	signal?.throwIfAborted();
	const unusable = ctx.commands.unusable();
	if (unusable !== undefined)
		throw new ConfigurationError("backend_invalid_config", `[o365:redis] ${unusable}`);
	// Drops the command from node-redis's queue if it is still unsent when the call gives up.
	const dropUnsent = new AbortController();
	let reply: Promise<unknown>;
	try {
		reply = Promise.resolve(ctx.commands.send(command.args, ctx.key, dropUnsent.signal));
	} catch (error) {
		reply = Promise.reject(error);
	}
	let timer: ReturnType<typeof setTimeout> | undefined;
	let onAbort: (() => void) | undefined;
	const gaveUp = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(timeoutError(ctx, command.what)), ctx.timeoutMs);
		onAbort = () => reject(signal?.reason);
		signal?.addEventListener("abort", onAbort, { once: true });
	});
	let driverFailed = false;
	const answered = reply.catch((error: unknown) => {
		driverFailed = true;
		throw error;
	});
	answered.catch(() => {}); // a late rejection, after the call gave up, is expected: never unhandled
	try {
		return await Promise.race([answered, gaveUp]);
	} catch (error) {
		if (!driverFailed) {
			// Gave up while the command may still run on the server.
			dropUnsent.abort();
			command.onAbandoned?.(reply);
			throw error;
		}
		throw driverError(ctx, command.what, error);
	} finally {
		clearTimeout(timer);
		if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
	}
}

function timeoutError(ctx: CommandContext, what: string): TokenBackendError {
	return new TokenBackendError(
		"redis",
		"backend_io",
		`could not ${what}: Redis at ${ctx.commands.endpoint()} did not answer within ${ctx.timeoutMs} ms (${ctx.commands.library} client ${ctx.commands.state()}). Check that redis-server runs there and is reachable from this host (host, port, TLS, firewall), or raise timeoutMs.`,
	);
}

/** The driver's error as a typed one, naming the server and what to check; never the value. */
function driverError(ctx: CommandContext, what: string, error: unknown): TokenBackendError {
	const endpoint = ctx.commands.endpoint();
	const code = errorCode(error);
	const hint = HINTS[code] ?? DEFAULT_HINT;
	return new TokenBackendError(
		"redis",
		"backend_io",
		`could not ${what} at Redis ${endpoint} (${code}; ${ctx.commands.library} client ${ctx.commands.state()}): ${hint.replace("{key}", ctx.key)}`,
		{ cause: error },
	);
}

const UNREACHABLE =
	"the server is unreachable. Check that redis-server runs there and is reachable from this host (host, port, TLS, firewall).";

/** What to check, by the driver's error code or the server's error word. */
const HINTS: Record<string, string> = {
	ECONNREFUSED: UNREACHABLE,
	ECONNRESET: UNREACHABLE,
	ETIMEDOUT: UNREACHABLE,
	EHOSTUNREACH: UNREACHABLE,
	ENOTFOUND: "the host name does not resolve. Check the client's host.",
	MaxRetriesPerRequestError: UNREACHABLE,
	ClientClosedError: "the client was closed (quit or disconnect). Pass a connected client.",
	ClientOfflineError: UNREACHABLE,
	NOAUTH: "the server requires a password. Set the client's password (and username for an ACL user).",
	WRONGPASS: "the server refused the client's credentials. Check the client's username and password.",
	NOPERM:
		"the client's ACL user may not run this. Allow GET, SET, DEL, EXISTS, EVAL, PEXPIRE and RENAME on the token's keys (the scripts call GET, SET, DEL, EXISTS, PEXPIRE and RENAME).",
	WRONGTYPE:
		'the key "{key}" holds another type of value, so another application uses it. Choose another keyPrefix or key.',
	READONLY: "the client is connected to a read-only replica. Connect it to the primary.",
	OOM: "the server is out of memory (maxmemory). Free memory or raise maxmemory.",
	CROSSSLOT: "the cluster refused keys of different hash slots. Use a keyPrefix and key without braces.",
};

const DEFAULT_HINT = "check that the server runs, is reachable, and accepts the client's credentials.";

/** ECONNREFUSED, NOAUTH, MaxRetriesPerRequestError…: the errno code, the server's error word, or the class name. */
function errorCode(error: unknown): string {
	if (typeof error !== "object" || error === null) return "unknown error";
	const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
	if (typeof code === "string" && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
	const word = typeof message === "string" ? /^([A-Z]{3,})\s/.exec(message)?.[1] : undefined;
	if (word !== undefined && word !== "ERR") return word;
	const className = (error as { constructor?: { name?: unknown } }).constructor?.name;
	if (typeof className === "string" && className !== "Error") return className;
	return typeof name === "string" ? name : "Error";
}
