/**
 * The request pipeline behind `Connection.get/post/…`: URL and header assembly, the bearer, the
 * timeout, one token refresh on 401, retries on throttling and faults within a time budget, and
 * typed errors. The happy path is one `await` for the (cached) token and one for fetch: no
 * regular expressions, no `Headers` or `URL` objects, no extra promises.
 */

import type { AccessTokenOptions } from "../auth/token-manager.js";
import { O365Error } from "../errors.js";
import { SafeLogger } from "../logging/logger.js";
import { abortError } from "../utils/abort.js";
import { nodeCrypto } from "../utils/builtins.js";
import { sleep } from "../utils/sleep.js";
import { encodeBody, type RequestBody } from "./body.js";
import { withDeadline } from "./deadlines.js";
import { graphErrorFromResponse, withoutQuery } from "./graph-error.js";
import { type HeaderRecord, mergeHeaders } from "./headers.js";
import type { HttpConfig, HttpRequestInfo, RequestOptions } from "./options.js";
import { parseRetryAfter } from "./retry-after.js";
import {
	backoffMs,
	isIdempotent,
	isRetryableNetworkError,
	isRetryableStatus,
	isThrottleStatus,
	networkErrorCode,
} from "./retry-policy.js";
import { resolveUrl } from "./url.js";

/** Asks the auth layer for a bearer; the only thing this layer needs from it. */
export type TokenSource = (options?: AccessTokenOptions) => Promise<string>;

const METHODS: ReadonlySet<string> = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const NO_OPTIONS: RequestOptions = {};

/** Upper-cases and checks a caller's method name. */
export function normalizeMethod(method: string): string {
	const upper = typeof method === "string" ? method.toUpperCase() : "";
	if (!METHODS.has(upper)) {
		throw new O365Error(
			"invalid_request",
			`method must be one of ${[...METHODS].join(", ")} (any case); got '${String(method)}'.`,
		);
	}
	return upper;
}

export class HttpClient {
	readonly #config: HttpConfig;
	readonly #serviceUrl: string;
	readonly #getToken: TokenSource;
	readonly #log: SafeLogger;
	/** When this client last released a request (`requestsDelay`), in `performance.now()` ms. */
	#lastReleased = Number.NEGATIVE_INFINITY;
	/** Settles when the previous request waiting for its `requestsDelay` slot has been released. */
	#slotQueue: Promise<void> = Promise.resolve();
	/** The last `Authorization` value and its token: built once per token, not per call (a ~1 KB copy). */
	#bearer = "";
	#bearerOf = "";

	constructor(config: HttpConfig, serviceUrl: string, getToken: TokenSource) {
		this.#config = config;
		this.#serviceUrl = serviceUrl;
		this.#getToken = getToken;
		this.#log = new SafeLogger(config.logger);
	}

	get config(): HttpConfig {
		return this.#config;
	}

	get serviceUrl(): string {
		return this.#serviceUrl;
	}

	/**
	 * Sends a request and returns the response (status < 400), or the last error response when
	 * `raiseHttpErrors` is false; otherwise throws a typed error.
	 * @param method - upper-case and valid (see {@link normalizeMethod})
	 * @param authenticated - adds the bearer and refreshes it once on 401
	 */
	async request(
		method: string,
		url: string | URL,
		data: RequestBody,
		options: RequestOptions = NO_OPTIONS,
		authenticated = true,
	): Promise<Response> {
		const config = this.#config;
		const target = resolveUrl(this.#serviceUrl, url, options.params);
		const encoded = encodeBody(data);
		const clientRequestId = nodeCrypto().randomUUID();
		// Literal first, spread second: adding keys to a spread copy costs ~2 µs (a slow map).
		const headers: HeaderRecord = authenticated
			? { authorization: "", "client-request-id": clientRequestId, ...config.baseHeaders }
			: { "client-request-id": clientRequestId, ...config.baseHeaders };
		if (options.headers !== undefined) mergeHeaders(headers, options.headers);
		if (encoded.contentType !== undefined && headers["content-type"] === undefined) {
			headers["content-type"] = encoded.contentType;
		}
		// Only what differs from fetch's defaults: each extra field costs on every call.
		const init: RequestInit = { method, headers };
		if (encoded.body !== undefined) init.body = encoded.body;
		if (options.redirect !== undefined) init.redirect = options.redirect;
		if (encoded.stream) init.duplex = "half";
		const signal = options.signal;
		const timeoutMs = options.timeoutMs ?? config.timeoutMs;
		const retries = options.requestRetries ?? config.requestRetries;
		const budgetMs = options.retryBudgetMs ?? config.retryBudgetMs;
		const fetchImpl = config.fetch ?? globalThis.fetch;
		const started = performance.now();
		let tokenOptions: AccessTokenOptions | undefined = signal === undefined ? undefined : { signal };
		let refreshed = false;
		let retried = 0;

		for (let attempt = 1; ; attempt++) {
			if (authenticated) {
				const token = await this.#getToken(tokenOptions);
				if (token !== this.#bearerOf) {
					this.#bearerOf = token;
					this.#bearer = `Bearer ${token}`;
				}
				headers.authorization = this.#bearer;
				if (refreshed) tokenOptions = signal === undefined ? undefined : { signal };
			}
			// Last before fetch, so that the spacing holds between the requests actually sent.
			if (config.requestsDelay > 0) await this.#waitForSlot(signal);
			const sentAt = performance.now();
			let response: Response;
			try {
				response = await fetchWithTimeout(fetchImpl, target, init, signal, timeoutMs);
			} catch (error) {
				if (signal?.aborted) throw abortError(signal);
				const failure = this.#fetchFailure(error, method, target, timeoutMs, attempt);
				if (failure === undefined) throw error;
				this.#report({ method, target, clientRequestId, attempt, sentAt, error: failure.code });
				const retryable =
					encoded.replayable &&
					retried < retries &&
					(failure.code === "timeout"
						? isIdempotent(method)
						: isRetryableNetworkError(failure.networkCode, method));
				const wait = backoffMs(retried + 1, config.retryBackoffMs);
				if (!retryable || performance.now() - started + wait > budgetMs) throw failure.error;
				retried++;
				this.#log.log("warn", `${method} ${withoutQuery(target)}: ${failure.code}; retrying in ${wait} ms`, {
					attempt,
					clientRequestId,
				});
				await sleep(wait, signal);
				continue;
			}
			if (response.status < 400) {
				if (config.requestHook !== undefined || this.#log.debugEnabled) {
					this.#report({ method, target, clientRequestId, attempt, sentAt, status: response.status });
				}
				return response;
			}
			const status = response.status;
			const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
			this.#report({ method, target, clientRequestId, attempt, sentAt, status, retryAfterMs });
			if (status === 401 && authenticated && !refreshed && encoded.replayable) {
				refreshed = true;
				const claims = claimsFromChallenge(response.headers.get("www-authenticate"));
				tokenOptions = claims === undefined ? { signal, forceRefresh: true } : { signal, claims };
				this.#log.log(
					"info",
					`${method} ${withoutQuery(target)}: 401; getting a new access token${claims === undefined ? "" : " for the claims challenge"} and trying once more`,
					{ clientRequestId },
				);
				await discard(response);
				continue;
			}
			let note: string | undefined;
			if (isRetryableStatus(status, method) && retried < retries) {
				if (encoded.replayable) {
					const wait = retryAfterMs ?? backoffMs(retried + 1, config.retryBackoffMs);
					const elapsed = performance.now() - started;
					if (elapsed + wait <= budgetMs) {
						retried++;
						this.#log.log(
							"warn",
							`${method} ${withoutQuery(target)}: ${status}; retrying in ${wait} ms (retry ${retried} of ${retries})`,
							{ attempt, clientRequestId, retryAfterMs },
						);
						await discard(response);
						await sleep(wait, signal);
						continue;
					}
					note =
						`${retryAfterMs === undefined ? "The next retry was due" : "The server asked to wait"} in ${wait} ms, ` +
						`past what is left of retryBudgetMs (${budgetMs} ms), so no retry was made; try again later or raise retryBudgetMs.`;
				} else {
					note = "Its body was a stream, which cannot be sent twice; retry the call with a fresh stream.";
				}
			}
			if (!(options.raiseHttpErrors ?? config.raiseHttpErrors)) return response;
			const error = await graphErrorFromResponse(response, timeoutMs, {
				method,
				url: withoutQuery(target),
				clientRequestId,
				attempts: attempt,
				retryAfterMs,
				refreshed,
				note,
			});
			this.#log.log("error", error.message, { status, clientRequestId, requestId: error.requestId });
			throw error;
		}
	}

	/**
	 * Releases this client's requests one at a time, each `requestsDelay` after the previous one
	 * was released (not after it was queued), so the gap holds however late a timer fires.
	 */
	#waitForSlot(signal: AbortSignal | undefined): Promise<void> {
		const turn = this.#slotQueue.then(() =>
			sleep(this.#lastReleased + this.#config.requestsDelay - performance.now(), signal),
		);
		// Runs before the caller resumes, which then sends at once.
		this.#slotQueue = turn.then(
			() => {
				this.#lastReleased = performance.now();
			},
			() => {},
		);
		return turn;
	}

	#fetchFailure(
		error: unknown,
		method: string,
		target: string,
		timeoutMs: number,
		attempt: number,
	): { code: "timeout" | "network_error"; networkCode: string; error: O365Error } | undefined {
		const url = withoutQuery(target);
		if (error instanceof AttemptTimeout) {
			return {
				code: "timeout",
				networkCode: "timeout",
				error: new O365Error(
					"timeout",
					`${method} ${url} got no response within ${timeoutMs} ms (attempt ${attempt}); raise timeoutMs if the call is slow by nature.`,
					{ cause: error },
				),
			};
		}
		const networkCode = networkErrorCode(error);
		if (networkCode === undefined) return undefined;
		return {
			code: "network_error",
			networkCode,
			error: new O365Error(
				"network_error",
				`${method} ${url} failed before a response came (${networkCode}, attempt ${attempt}); check the network, proxy and host, then try again.`,
				{ cause: error },
			),
		};
	}

	/** Tells the metrics hook and the debug log about one attempt. */
	#report(attempt: AttemptReport): void {
		const hook = this.#config.requestHook;
		if (hook === undefined && !this.#log.debugEnabled) return;
		const { method, target, clientRequestId, sentAt, status, retryAfterMs, error } = attempt;
		const info: HttpRequestInfo = {
			method,
			url: withoutQuery(target),
			clientRequestId,
			attempt: attempt.attempt,
			status,
			durationMs: Math.round((performance.now() - sentAt) * 100) / 100,
			retryAfterMs,
			throttled: status !== undefined && isThrottleStatus(status),
			error,
		};
		if (this.#log.debugEnabled) {
			this.#log.log(
				"debug",
				`${method} ${info.url} -> ${status ?? error} in ${info.durationMs} ms (attempt ${info.attempt})`,
				{ ...info },
			);
		}
		if (hook !== undefined) {
			try {
				hook(info);
			} catch {
				// Metrics must not break requests.
			}
		}
	}
}

interface AttemptReport {
	method: string;
	target: string;
	clientRequestId: string;
	attempt: number;
	/** `performance.now()` when the attempt was sent. */
	sentAt: number;
	status?: number;
	retryAfterMs?: number | undefined;
	error?: HttpRequestInfo["error"];
}

/** The claims of a `WWW-Authenticate: Bearer …, claims="<base64 JSON>"` challenge, decoded. */
export function claimsFromChallenge(header: string | null): string | undefined {
	if (header === null) return undefined;
	const match = /\bclaims="([^"]*)"/i.exec(header);
	if (match?.[1] === undefined || match[1] === "") return undefined;
	const value = match[1];
	return value.trimStart().startsWith("{") ? value : Buffer.from(value, "base64").toString("utf8");
}

/** Drops a body we will not use. */
async function discard(response: Response): Promise<void> {
	try {
		await response.body?.cancel();
	} catch {
		// The body is of no use; a broken one changes nothing.
	}
}

/** Why an attempt gave up: no response headers within `timeoutMs`. */
class AttemptTimeout extends Error {}
const attemptTimeout = () => new AttemptTimeout();

/**
 * `fetch` with a time limit on the response headers. A timed-out attempt is aborted, which closes
 * its connection (abandoned, it would hold its socket until undici's own 300 s limit). The limit is
 * a shared deadline check (see `deadlines.ts`), not a timer per attempt.
 */
function fetchWithTimeout(
	fetchImpl: typeof fetch,
	target: string,
	init: RequestInit,
	signal: AbortSignal | undefined,
	timeoutMs: number,
): Promise<Response> {
	if (timeoutMs === 0 || timeoutMs === Number.POSITIVE_INFINITY) {
		if (signal !== undefined) init.signal = signal;
		return fetchImpl(target, init);
	}
	return withDeadline(
		timeoutMs,
		(attemptSignal) => {
			init.signal = signal === undefined ? attemptSignal : AbortSignal.any([signal, attemptSignal]);
			return fetchImpl(target, init);
		},
		attemptTimeout,
		discard,
	);
}
