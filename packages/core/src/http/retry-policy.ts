/**
 * Which failures are retried, and how long to wait in between. Graph's guidance: honour
 * `Retry-After` on 429/503 (any method: the request was not processed), retry transient server
 * and network faults only where repeating a request is harmless, otherwise back off
 * exponentially with jitter.
 */

/** Methods whose repetition is harmless (RFC 9110 idempotent methods). */
const IDEMPOTENT: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** Throttling: Graph did not process the request, so every method may be sent again. */
export function isThrottleStatus(status: number): boolean {
	return status === 429 || status === 503;
}

export function isIdempotent(method: string): boolean {
	return IDEMPOTENT.has(method);
}

/** Whether a response with `status` may be sent again for `method`. */
export function isRetryableStatus(status: number, method: string): boolean {
	if (isThrottleStatus(status)) return true;
	return (status === 500 || status === 502 || status === 504) && isIdempotent(method);
}

/** Longest wait between attempts when the server gave no `Retry-After`, in milliseconds. */
const MAX_BACKOFF_MS = 60_000;

/**
 * Wait before retry number `retry` (1-based) without a `Retry-After`: `baseMs × 2^(retry−1)`,
 * capped at 60 s, with "equal jitter" (a random half is taken off) so that clients that failed
 * together do not come back together.
 */
export function backoffMs(retry: number, baseMs: number, random: () => number = Math.random): number {
	const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (retry - 1));
	return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Node/undici error codes of a connection that failed before or while a request was sent. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
	"ECONNRESET",
	"ECONNREFUSED",
	"ECONNABORTED",
	"EPIPE",
	"ETIMEDOUT",
	"ENETUNREACH",
	"EHOSTUNREACH",
	"EAI_AGAIN",
	"UND_ERR_SOCKET",
	"UND_ERR_CLOSED",
	"UND_ERR_CONNECT_TIMEOUT",
	"UND_ERR_HEADERS_TIMEOUT",
	"UND_ERR_BODY_TIMEOUT",
]);

/** Codes that mean the request never reached the server: safe to repeat for any method. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "EAI_AGAIN"]);

/** The system error code of a failed `fetch` (`TypeError: fetch failed` wraps it in `cause`). */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
		current = current.cause;
	}
	return error instanceof TypeError && error.message === "fetch failed" ? "fetch failed" : undefined;
}

/** Whether a network failure with `code` may be retried for `method`. */
export function isRetryableNetworkError(code: string, method: string): boolean {
	return isIdempotent(method) || NOT_SENT_CODES.has(code);
}
