/**
 * Turns a failed response into a {@link GraphError}: status, Graph's `error.code`/`message` from
 * the JSON body, the request ids and `Retry-After`, and a message that says what to do.
 */

import { GraphError, type O365ErrorCode } from "../errors.js";
import { isThrottleStatus } from "./retry-policy.js";

export interface FailedRequest {
	method: string;
	/** URL without its query string. */
	url: string;
	clientRequestId: string | undefined;
	attempts: number;
	retryAfterMs: number | undefined;
	/** A new access token was fetched after a first 401. */
	refreshed: boolean;
	/** Why no further attempt was made, when that is news to the caller, e.g. the budget ran out. */
	note?: string | undefined;
}

/** Reads `response`'s body (Graph's error JSON) and builds the error to throw. */
export async function graphErrorFromResponse(
	response: Response,
	timeoutMs: number,
	request: FailedRequest,
): Promise<GraphError> {
	const text = await readText(response, timeoutMs);
	const { graphCode, graphMessage } = parseGraphErrorBody(text);
	const status = response.status;
	const code: O365ErrorCode = isThrottleStatus(status)
		? "throttled"
		: status === 401
			? "unauthorized"
			: "http_error";
	const said = graphCode === undefined ? "" : ` (${graphCode}${graphMessage ? `: ${graphMessage}` : ""})`;
	const requestId = response.headers.get("request-id") ?? undefined;
	const message =
		`${request.method} ${request.url} failed with ${status} ${response.statusText}${said} after ` +
		`${request.attempts} attempt${request.attempts === 1 ? "" : "s"}. ${advice(status, request)}` +
		(requestId === undefined ? "" : ` (request-id ${requestId})`);
	return new GraphError(code, message, {
		status,
		method: request.method,
		url: request.url,
		graphCode,
		graphMessage,
		requestId,
		clientRequestId: response.headers.get("client-request-id") ?? request.clientRequestId,
		retryAfterMs: request.retryAfterMs,
		attempts: request.attempts,
	});
}

/** The body as text, or `""` when it fails or takes longer than `timeoutMs`. */
async function readText(response: Response, timeoutMs: number): Promise<string> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<string>((resolve) => {
		if (timeoutMs > 0 && timeoutMs !== Number.POSITIVE_INFINITY) {
			timer = setTimeout(() => {
				response.body?.cancel().catch(() => {});
				resolve("");
			}, timeoutMs);
		}
	});
	try {
		return await Promise.race([response.text().catch(() => ""), late]);
	} finally {
		clearTimeout(timer);
	}
}

/** Graph's `{ "error": { "code", "message" } }`; anything else gives nothing. */
export function parseGraphErrorBody(text: string): { graphCode?: string; graphMessage?: string } {
	if (text === "" || text[0] !== "{") return {};
	try {
		const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
		return {
			...(typeof error?.code === "string" ? { graphCode: error.code } : {}),
			...(typeof error?.message === "string" ? { graphMessage: error.message } : {}),
		};
	} catch {
		return {};
	}
}

function advice(status: number, request: FailedRequest): string {
	if (request.note !== undefined) return request.note;
	if (isThrottleStatus(status)) {
		const wait = request.retryAfterMs === undefined ? "" : ` it asked to wait ${request.retryAfterMs} ms;`;
		return `The service is throttling:${wait} try again later, or raise requestRetries / retryBudgetMs.`;
	}
	switch (status) {
		case 400:
			return "Graph refused the request as malformed; check the URL, query options and body.";
		case 401:
			return request.refreshed
				? "The access token was refused even after a refresh; sign in again (account.authenticate()) or check the app registration."
				: "The server wants credentials this call did not have; a pre-authenticated URL may have expired.";
		case 403:
			return "The token lacks a permission this call needs; request the scope and consent again (or grant the application permission).";
		case 404:
			return "Nothing is at that URL; check the path and the resource (me, users/<id>, groups/<id>, sites/<id>).";
		default:
			return status >= 500
				? "The service had a fault; try again later."
				: "See graphCode and graphMessage for the reason.";
	}
}

/** `url` without its query string (which may carry secrets, e.g. pre-authenticated upload URLs). */
export function withoutQuery(url: string): string {
	const index = url.indexOf("?");
	return index === -1 ? url : url.slice(0, index);
}
