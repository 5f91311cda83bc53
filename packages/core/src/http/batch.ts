/**
 * JSON batching (`POST $batch`): any number of requests, sent 20 at a time with their
 * `dependsOn` partners, and the steps Graph throttled (429/503 inside a 200 envelope, each with
 * its own `Retry-After`) sent again, alone, once they may be: the envelope-level retry of every
 * other client misses them.
 */

import { O365Error } from "../errors.js";
import type { SafeLogger } from "../logging/logger.js";
import { sleep } from "../utils/sleep.js";
import { planBatches } from "./batch-plan.js";
import type { RequestOptions } from "./options.js";
import { normalizeMethod } from "./request.js";
import { parseRetryAfter } from "./retry-after.js";
import { backoffMs, isThrottleStatus } from "./retry-policy.js";
import { resourcePath } from "./url.js";

/** One request of a batch. */
export interface BatchRequest {
	/** Unique within the call; results are keyed by it. */
	id: string;
	/** GET, POST, PUT, PATCH, DELETE (any case). */
	method: string;
	/** Relative to the service URL (`/me/messages`, `user:x@y/events`), or absolute under it. */
	url: string;
	/** @default {} (`Content-Type: application/json` is added for an object body) */
	headers?: Record<string, string>;
	/** An object or array (sent as JSON), a string, or bytes (sent base64-encoded, as Graph wants). */
	body?: unknown;
	/** Ids of requests that must succeed first; they are sent in the same `$batch`. */
	dependsOn?: string[];
}

/** The outcome of one request of a batch. */
export interface BatchResponse<T = unknown> {
	id: string;
	/** The step's HTTP status (424 when a request it depends on failed). */
	status: number;
	/** A 2xx status. */
	ok: boolean;
	/** Response headers, lower-cased names. */
	headers: Record<string, string>;
	/** The step's body, as Graph put it in the batch response (parsed JSON, or a string). */
	body: T | undefined;
}

export type BatchOptions = Omit<RequestOptions, "params" | "raiseHttpErrors" | "redirect">;

interface Step {
	id: string;
	method: string;
	url: string;
	headers?: Record<string, string>;
	body?: unknown;
	dependsOn?: string[];
}

export interface BatchContext {
	serviceUrl: string;
	/** Posts one `$batch` payload (retrying the envelope as any request) and returns its parsed JSON. */
	post: (payload: { requests: Step[] }, options: RequestOptions) => Promise<unknown>;
	retries: number;
	budgetMs: number;
	backoffMs: number;
	log: SafeLogger;
}

/** Runs `requests` and returns their results keyed by id, in the caller's order. */
export async function runBatch(
	requests: readonly BatchRequest[],
	context: BatchContext,
	options: BatchOptions = {},
): Promise<Map<string, BatchResponse>> {
	if (!Array.isArray(requests)) {
		throw new O365Error("invalid_request", "batch() takes an array of { id, method, url } requests.");
	}
	const steps = requests.map((request) => toStep(request, context.serviceUrl));
	planBatches(steps); // validates ids and dependencies before anything is sent
	const retries = options.requestRetries ?? context.retries;
	const budgetMs = options.retryBudgetMs ?? context.budgetMs;
	const started = performance.now();
	const results = new Map<string, BatchResponse>();
	let pending = steps;
	for (let round = 0; ; round++) {
		for (const chunk of planBatches(pending)) {
			const remaining = Math.max(0, budgetMs - (performance.now() - started));
			const payload = await context.post({ requests: chunk }, { ...options, retryBudgetMs: remaining });
			for (const result of parseBatchResponse(payload, chunk)) results.set(result.id, result);
		}
		const resend = stepsToResend(pending, results);
		if (resend.length === 0 || round >= retries) break;
		let wait = 0;
		for (const step of resend) {
			const result = results.get(step.id) as BatchResponse;
			if (isThrottleStatus(result.status)) {
				wait = Math.max(
					wait,
					parseRetryAfter(result.headers["retry-after"]) ?? backoffMs(round + 1, context.backoffMs),
				);
			}
		}
		if (performance.now() - started + wait > budgetMs) break;
		context.log.log(
			"warn",
			`$batch: ${resend.length} throttled request(s); sending them again in ${wait} ms`,
			{
				round: round + 1,
			},
		);
		await sleep(wait, options.signal);
		const again = new Set(resend.map((step) => step.id));
		pending = resend.map((step) => withDependencies(step, again));
	}
	const ordered = new Map<string, BatchResponse>();
	for (const step of steps) {
		const result = results.get(step.id);
		if (result === undefined) {
			throw new O365Error(
				"http_error",
				`the $batch response had no result for request '${step.id}'; send that request again.`,
			);
		}
		ordered.set(step.id, result);
	}
	return ordered;
}

/** Throttled steps, plus the steps that failed (424) because one they depend on was throttled. */
function stepsToResend(steps: readonly Step[], results: Map<string, BatchResponse>): Step[] {
	const chosen = new Set<string>();
	for (const step of steps) {
		const status = results.get(step.id)?.status;
		if (status !== undefined && isThrottleStatus(status)) chosen.add(step.id);
	}
	if (chosen.size === 0) return [];
	for (let grew = true; grew; ) {
		grew = false;
		for (const step of steps) {
			if (chosen.has(step.id) || results.get(step.id)?.status !== 424) continue;
			if (step.dependsOn?.some((id) => chosen.has(id))) {
				chosen.add(step.id);
				grew = true;
			}
		}
	}
	return steps.filter((step) => chosen.has(step.id));
}

/** `step` with only the dependencies that are sent again (the others already succeeded). */
function withDependencies(step: Step, sent: ReadonlySet<string>): Step {
	if (step.dependsOn === undefined) return step;
	const dependsOn = step.dependsOn.filter((id) => sent.has(id));
	const { dependsOn: _dropped, ...rest } = step;
	return dependsOn.length === 0 ? rest : { ...rest, dependsOn };
}

function toStep(request: BatchRequest, serviceUrl: string): Step {
	if (request === null || typeof request !== "object") {
		throw new O365Error("invalid_request", "each batch request must be an object { id, method, url }.");
	}
	const method = normalizeMethod(request.method);
	const step: Step = { id: request.id, method, url: stepUrl(request.url, serviceUrl, request.id) };
	const headers: Record<string, string> = { ...request.headers };
	if (request.body !== undefined) {
		const body = request.body;
		if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
			step.body = Buffer.from(body instanceof ArrayBuffer ? new Uint8Array(body) : body).toString("base64");
		} else {
			step.body = body;
			const typed = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
			if (!typed && typeof body === "object" && body !== null) headers["Content-Type"] = "application/json";
		}
	}
	if (Object.keys(headers).length > 0) step.headers = headers;
	if (request.dependsOn !== undefined) {
		if (!Array.isArray(request.dependsOn)) {
			throw new O365Error("invalid_request", `dependsOn of '${request.id}' must be an array of ids.`);
		}
		if (request.dependsOn.length > 0) step.dependsOn = [...request.dependsOn];
	}
	return step;
}

/** Batch URLs are relative to the version root: `/me/messages`. */
function stepUrl(url: unknown, serviceUrl: string, id: string): string {
	if (typeof url !== "string" || url === "") {
		throw new O365Error("invalid_request", `batch request '${id}' needs a url, e.g. '/me/messages'.`);
	}
	if (url.startsWith("https://") || url.startsWith("http://")) {
		if (!url.startsWith(serviceUrl)) {
			throw new O365Error(
				"invalid_request",
				`batch request '${id}' goes to another service than ${serviceUrl}; a $batch can only hold calls to its own service.`,
			);
		}
		return `/${url.slice(serviceUrl.length)}`;
	}
	return `/${resourcePath(url)}`;
}

function parseBatchResponse(payload: unknown, chunk: readonly Step[]): BatchResponse[] {
	const responses = (payload as { responses?: unknown } | null)?.responses;
	if (!Array.isArray(responses)) {
		throw new O365Error(
			"http_error",
			`the $batch response has no 'responses' array (requests ${chunk.map((step) => step.id).join(", ")}).`,
		);
	}
	return responses.map((entry: { id?: unknown; status?: unknown; headers?: unknown; body?: unknown }) => {
		const headers: Record<string, string> = {};
		if (entry.headers !== null && typeof entry.headers === "object") {
			for (const [name, value] of Object.entries(entry.headers)) headers[name.toLowerCase()] = String(value);
		}
		const status = Number(entry.status);
		return { id: String(entry.id), status, ok: status >= 200 && status < 300, headers, body: entry.body };
	});
}
