/**
 * Faults injected by tests: `graph.failNext(...)` on requests and `graph.throttleBatchSteps(...)` inside `$batch`.
 * Both are queues consumed in order, so a test knows exactly which request gets which fault.
 */
import { TestkitError } from "../errors.js";
import { CountedQueue } from "../faults.js";
import { claimsChallenge } from "./auth.js";
import { type GraphReply, type GraphRequest, graphError } from "./replies.js";
import type { BatchStepThrottle, GraphFault } from "./types.js";

function checkTimes(times: number | undefined): number {
	const value = times ?? 1;
	if (!Number.isInteger(value) || value < 1) {
		throw new TestkitError("invalid_options", `A fault's times must be a whole number ≥ 1; got ${value}.`);
	}
	return value;
}

/** `Retry-After` as sent: whole seconds, or an HTTP-date. */
export function retryAfterHeader(value: number | string | Date): string {
	if (value instanceof Date) return value.toUTCString();
	return typeof value === "number" ? String(Math.max(0, Math.ceil(value))) : value;
}

/** A string filter matches whole leading segments, any case: `/me` matches `/me/sendMail`, not `/messages`. */
function pathMatches(filter: string | RegExp | undefined, path: string): boolean {
	if (filter === undefined) return true;
	if (filter instanceof RegExp) return filter.test(path);
	const prefix = `/${filter.replace(/^\/+|\/+$/g, "")}`.toLowerCase();
	const lower = path.toLowerCase();
	if (prefix === "/") return true;
	return lower === prefix || lower.startsWith(`${prefix}/`);
}

function validate(fault: GraphFault): void {
	const { status, delayMs } = fault;
	const kinds = [
		status !== undefined,
		fault.claimsChallenge !== undefined,
		fault.resetConnection === true,
		fault.hang === true,
		(delayMs ?? 0) > 0,
	];
	if (!kinds.includes(true)) {
		throw new TestkitError(
			"invalid_options",
			"A Graph fault needs one of status, claimsChallenge, resetConnection, hang or delayMs.",
		);
	}
	if (status !== undefined && (!Number.isInteger(status) || status < 400 || status > 599)) {
		throw new TestkitError(
			"invalid_options",
			`A fault's status must be an error status 400–599; got ${status}.`,
		);
	}
	if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
		throw new TestkitError(
			"invalid_options",
			`A fault's delayMs must be a number of milliseconds ≥ 0; got ${delayMs}.`,
		);
	}
}

/** The faults queued by `failNext`. */
export class GraphFaultQueue {
	private readonly pending = new CountedQueue<GraphFault>();

	add(fault: GraphFault): void {
		validate(fault);
		this.pending.add({ ...fault }, checkTimes(fault.times));
	}

	/**
	 * The first queued fault matching this request, counted as used. `batchStep` requests skip connection faults
	 * (`resetConnection`, `hang`): a step has no connection of its own.
	 */
	take(request: Pick<GraphRequest, "method" | "path">, batchStep: boolean): GraphFault | undefined {
		return this.pending.take(
			(fault) =>
				(fault.method === undefined || fault.method.toUpperCase() === request.method) &&
				pathMatches(fault.path, request.path) &&
				!(batchStep && (fault.resetConnection || fault.hang)),
		);
	}
}

/** The answer a fault forces, or `undefined` when it only delays (or resets, or hangs) the request. */
export function faultReply(
	fault: GraphFault,
	request: GraphRequest,
	authorizeUri: string,
): GraphReply | undefined {
	const headers: Record<string, string> =
		fault.retryAfter !== undefined ? { "Retry-After": retryAfterHeader(fault.retryAfter) } : {};
	if (fault.claimsChallenge !== undefined) {
		const reply = claimsChallenge(request, fault.claimsChallenge, authorizeUri);
		return { ...reply, status: fault.status ?? 401, headers: { ...reply.headers, ...headers } };
	}
	if (fault.status === undefined) return undefined;
	const options = fault.code !== undefined ? { code: fault.code, headers } : { headers };
	return graphError(
		request,
		fault.status,
		fault.message ?? `Fault injected by the test: HTTP ${fault.status} on ${request.method} ${request.path}.`,
		options,
	);
}

/** The step throttles queued by `throttleBatchSteps`, one per affected `$batch` call. */
export class BatchThrottleQueue {
	private readonly pending = new CountedQueue<BatchStepThrottle>();

	add(throttle: BatchStepThrottle): void {
		const { count, retryAfter } = throttle;
		if (count !== undefined && !(Number.isInteger(count) && count >= 0)) {
			throw new TestkitError(
				"invalid_options",
				`throttleBatchSteps count must be a whole number ≥ 0; got ${count}.`,
			);
		}
		if (retryAfter !== undefined && !(Number.isFinite(retryAfter) && retryAfter >= 0)) {
			throw new TestkitError(
				"invalid_options",
				`throttleBatchSteps retryAfter must be seconds ≥ 0; got ${retryAfter}.`,
			);
		}
		this.pending.add({ ...throttle }, checkTimes(throttle.times));
	}

	take(): BatchStepThrottle | undefined {
		return this.pending.take();
	}
}

/** Ids of the steps a throttle hits: the listed ids, else the first `count` (default all) in request order. */
export function throttledIds(throttle: BatchStepThrottle, stepIds: readonly string[]): Set<string> {
	if (throttle.ids) return new Set(throttle.ids);
	return new Set(stepIds.slice(0, throttle.count ?? stepIds.length));
}

/** The answer of a throttled step: 429 (or 503) with its own `Retry-After`. */
export function throttledStepReply(throttle: BatchStepThrottle, request: GraphRequest): GraphReply {
	const status = throttle.status ?? 429;
	return graphError(
		request,
		status,
		status === 429
			? "Too many requests. Application or user has been throttled (injected by the test)."
			: "The service is temporarily unavailable (injected by the test).",
		{ headers: { "Retry-After": retryAfterHeader(throttle.retryAfter ?? 1) } },
	);
}
