/**
 * Options of the request layer: the connection-wide ones (part of `ConnectionOptions`), the
 * per-call ones, and what the metrics hook receives.
 */

import { ConfigurationError, type O365ErrorCode } from "../errors.js";
import type { Logger } from "../logging/logger.js";
import { isTimeoutMs } from "../utils/read-options.js";
import type { HeaderInput, HeaderRecord } from "./headers.js";
import { mergeHeaders } from "./headers.js";
import { USER_AGENT } from "./user-agent.js";

/** Connection-wide request settings; every field is also a `ConnectionOptions` field. */
export interface HttpOptions {
	/**
	 * The `fetch` to send requests with, e.g. one bound to an undici `ProxyAgent` dispatcher:
	 * `fetch: (url, init) => undiciFetch(url, { ...init, dispatcher: new ProxyAgent(proxyUrl) })`.
	 * It must honour `init.signal`: aborting it is how a timed-out attempt closes its connection.
	 * @default globalThis.fetch
	 */
	fetch?: typeof fetch;
	/**
	 * Headers sent with every request (names are case-insensitive; a call's own header wins,
	 * except `Prefer`, whose preferences are combined), e.g. `{ Prefer: 'IdType="ImmutableId"' }`.
	 * @default {}
	 */
	defaultHeaders?: HeaderInput;
	/**
	 * How long one attempt may wait for the response headers, in milliseconds; then the attempt is
	 * aborted (its connection closed) and fails with a `timeout` error (retried for idempotent methods). Reading the body of a returned
	 * response is not covered: abort it with the call's `signal`. `0` or `Infinity` disables it.
	 * @default 100000 (100 s, Graph's own gateway timeout)
	 */
	timeoutMs?: number;
	/**
	 * How many times a failed request is sent again (python-o365's `request_retries`): 429/503 for
	 * every method, 500/502/504 and network faults for GET, PUT, DELETE, HEAD and OPTIONS. A request
	 * whose body is a stream is never retried (a stream can be read once).
	 * @default 3
	 */
	requestRetries?: number;
	/**
	 * The longest a call may spend retrying, in milliseconds, from its first attempt. A server asking
	 * (`Retry-After`) to wait past it makes the call fail at once with a `throttled` error carrying
	 * `retryAfterMs`, rather than sleeping.
	 * @default 300000 (5 minutes)
	 */
	retryBudgetMs?: number;
	/**
	 * First back-off when the server gave no `Retry-After`, in milliseconds; it doubles with each
	 * retry (up to 60 s), with jitter (a random up-to-half is taken off).
	 * @default 500 (python-o365's back-off factor of 0.5 s)
	 */
	retryBackoffMs?: number;
	/**
	 * Least time between the starts of two requests of this connection, in milliseconds
	 * (python-o365's `requests_delay`, which defaulted to 200). Concurrent calls queue for their
	 * slot; other connections are not held up.
	 * @default 0 (we throttle on the server's word, `Retry-After`, not on a fixed gap)
	 */
	requestsDelay?: number;
	/**
	 * Throw a {@link GraphError} for a 4xx/5xx response (once retries are over). With `false` the
	 * response is returned instead (python-o365's `raise_http_errors`).
	 * @default true
	 */
	raiseHttpErrors?: boolean;
	/** Where the library logs (debug: every attempt; info: token refreshes; warn: retries). @default silent */
	logger?: Logger;
	/** Called after every HTTP attempt, for metrics. Must not throw (errors are ignored). @default undefined */
	requestHook?: (info: HttpRequestInfo) => void;
}

/** Per-call options of `get`, `post`, …, `oauthRequest`, `naiveRequest`. */
export interface RequestOptions {
	/** Headers of this call (case-insensitive names), merged over `defaultHeaders`. @default {} */
	headers?: HeaderInput;
	/** Query parameters appended to the URL (`undefined` values are skipped), e.g. `{ $top: 10 }`. @default {} */
	params?: Record<string, string | number | boolean | undefined>;
	/** Cancels the call, including a wait for `Retry-After` or a token refresh. @default undefined */
	signal?: AbortSignal;
	/** @default the connection's `timeoutMs` */
	timeoutMs?: number;
	/** @default the connection's `raiseHttpErrors` */
	raiseHttpErrors?: boolean;
	/** @default the connection's `requestRetries` */
	requestRetries?: number;
	/** @default the connection's `retryBudgetMs` */
	retryBudgetMs?: number;
	/** fetch's `redirect`. @default "follow" */
	redirect?: RequestInit["redirect"];
}

/** What {@link HttpOptions.requestHook} receives after each HTTP attempt. */
export interface HttpRequestInfo {
	method: string;
	/** The URL without its query string. */
	url: string;
	/** The `client-request-id` of the logical request (the same for its retries). */
	clientRequestId: string;
	/** 1 for the first attempt. */
	attempt: number;
	/** HTTP status; `undefined` when no response came (see `error`). */
	status: number | undefined;
	/** From sending to the response headers, in milliseconds. */
	durationMs: number;
	/** The `Retry-After` the response carried, in milliseconds. */
	retryAfterMs: number | undefined;
	/** A 429 or 503 response. */
	throttled: boolean;
	/** `timeout` or `network_error` when no response came. */
	error: O365ErrorCode | undefined;
}

/** {@link HttpOptions} with the defaults applied and the fixed headers precomputed. */
export interface HttpConfig {
	fetch: typeof fetch | undefined;
	/** `User-Agent` and `defaultHeaders`, lower-cased. (No `SdkVersion`: it says what User-Agent says, and each extra header costs on every call.) */
	baseHeaders: HeaderRecord;
	timeoutMs: number;
	requestRetries: number;
	retryBudgetMs: number;
	retryBackoffMs: number;
	requestsDelay: number;
	raiseHttpErrors: boolean;
	logger: Logger | undefined;
	requestHook: ((info: HttpRequestInfo) => void) | undefined;
}

export const HTTP_OPTION_KEYS = [
	"fetch",
	"defaultHeaders",
	"timeoutMs",
	"requestRetries",
	"retryBudgetMs",
	"retryBackoffMs",
	"requestsDelay",
	"raiseHttpErrors",
	"logger",
	"requestHook",
] as const satisfies readonly (keyof HttpOptions)[];

/** Applies the defaults and checks the values, naming every bad one in one error. */
export function resolveHttpConfig(options: HttpOptions): HttpConfig {
	const problems: string[] = [];
	const number = (name: keyof HttpOptions, fallback: number): number => {
		const value = options[name];
		if (value === undefined) return fallback;
		if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
			problems.push(`${name} must be a number of 0 or more`);
			return fallback;
		}
		return value;
	};
	const fn = (name: "fetch" | "requestHook") => {
		if (options[name] !== undefined && typeof options[name] !== "function")
			problems.push(`${name} must be a function`);
	};
	fn("fetch");
	fn("requestHook");
	const config: HttpConfig = {
		fetch: options.fetch,
		baseHeaders: mergeHeaders({ "user-agent": USER_AGENT }, options.defaultHeaders),
		timeoutMs: number("timeoutMs", 100_000),
		requestRetries: Math.floor(number("requestRetries", 3)),
		retryBudgetMs: number("retryBudgetMs", 300_000),
		retryBackoffMs: number("retryBackoffMs", 500),
		requestsDelay: number("requestsDelay", 0),
		raiseHttpErrors: options.raiseHttpErrors ?? true,
		logger: options.logger,
		requestHook: options.requestHook,
	};
	// Past Node's longest timer a timeout would fire at once.
	const timeoutExpected = isTimeoutMs(config.timeoutMs);
	if (timeoutExpected !== undefined) problems.push(`timeoutMs must be ${timeoutExpected}`);
	if (problems.length > 0) {
		throw new ConfigurationError("invalid_option", `invalid request options: ${problems.join("; ")}.`);
	}
	return config;
}
