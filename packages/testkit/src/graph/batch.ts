/**
 * `POST /$batch` (JSON batching): up to 20 steps, each run through the same routes with the batch's bearer,
 * `dependsOn` honoured (a step whose dependency failed gets 424 and is not run), steps throttled on request.
 */
import { randomUUID } from "node:crypto";
import { parseJsonObject } from "../http.js";
import { type BatchThrottleQueue, throttledIds, throttledStepReply } from "./faults.js";
import { badRequest, type GraphReply, type GraphRequest, graphError, graphJson } from "./replies.js";

/** Most steps Graph accepts in one batch. */
export const MAX_BATCH_STEPS = 20;

/**
 * Runs (and records) one step. `forced` is the answer to give without running it (a throttled step, a failed
 * dependency, an invalid step).
 */
export type StepRunner = (
	step: GraphRequest,
	stepId: string,
	forced: GraphReply | undefined,
) => Promise<GraphReply>;

interface Step {
	id: string;
	dependsOn: string[];
	request: GraphRequest;
	/** Why the step cannot run, as its answer. */
	invalid?: GraphReply;
}

/** `headers` of a step: string values only, names lower-cased. */
function stepHeaders(value: unknown): Record<string, string> {
	const headers: Record<string, string> = {};
	if (typeof value !== "object" || value === null) return headers;
	for (const [name, header] of Object.entries(value)) {
		if (typeof header === "string" || typeof header === "number")
			headers[name.toLowerCase()] = String(header);
	}
	return headers;
}

function parseStep(raw: unknown, envelope: GraphRequest): Step | string {
	if (typeof raw !== "object" || raw === null) return "Each batch request must be a JSON object.";
	const { id, method, url, body, dependsOn } = raw as Record<string, unknown>;
	if (typeof id !== "string" || id === "") return "Each batch request needs a string 'id'.";
	if (typeof method !== "string" || method === "") return `Batch request '${id}' needs a 'method'.`;
	if (typeof url !== "string" || url === "") return `Batch request '${id}' needs a relative 'url'.`;
	if (/^[a-z][a-z0-9+.-]*:/i.test(url))
		return `Batch request '${id}' has an absolute url; use a relative one, e.g. "/me".`;
	if (
		dependsOn !== undefined &&
		!(Array.isArray(dependsOn) && dependsOn.every((dep) => typeof dep === "string"))
	) {
		return `The dependsOn of batch request '${id}' must be a list of request ids.`;
	}
	const parsed = new URL(url.replace(/^\/+/, ""), "http://batch.invalid/");
	const headers = stepHeaders((raw as Record<string, unknown>).headers);
	const authorization = envelope.headers.authorization;
	const requestId = randomUUID();
	const request: GraphRequest = {
		method: method.toUpperCase(),
		version: envelope.version,
		path: parsed.pathname,
		query: Object.fromEntries(parsed.searchParams),
		headers: { ...(authorization !== undefined ? { authorization } : {}), ...headers },
		body: body === undefined || body === null ? "" : typeof body === "string" ? body : JSON.stringify(body),
		requestId,
		clientRequestId: headers["client-request-id"] ?? requestId,
	};
	const step: Step = { id, dependsOn: [...((dependsOn as string[] | undefined) ?? [])], request };
	if (/^\/\$batch\/?$/i.test(request.path)) {
		step.invalid = badRequest(request, "A batch request cannot contain another $batch request.");
	} else if (request.body !== "" && headers["content-type"] === undefined) {
		step.invalid = badRequest(request, `Batch request '${id}' has a body but no Content-Type header.`);
	}
	return step;
}

/** Steps ordered so that each comes after its dependencies (request order otherwise); an error text on a cycle. */
function executionOrder(steps: readonly Step[]): Step[] | string {
	const byId = new Map(steps.map((step) => [step.id, step]));
	const ordered: Step[] = [];
	const state = new Map<string, "visiting" | "done">();
	const visit = (step: Step): string | undefined => {
		const seen = state.get(step.id);
		if (seen === "done") return undefined;
		if (seen === "visiting") return `The dependsOn of batch request '${step.id}' forms a cycle.`;
		state.set(step.id, "visiting");
		for (const dependency of step.dependsOn) {
			const target = byId.get(dependency);
			if (!target) return `Batch request '${step.id}' depends on '${dependency}', which is not in the batch.`;
			const error = visit(target);
			if (error) return error;
		}
		state.set(step.id, "done");
		ordered.push(step);
		return undefined;
	};
	for (const step of steps) {
		const error = visit(step);
		if (error) return error;
	}
	return ordered;
}

/** A step's answer as it appears in `responses`: JSON bodies parsed, other bodies as text, no body omitted. */
function stepResponse(id: string, reply: GraphReply): Record<string, unknown> {
	const isJson = /json/i.test(reply.headers["Content-Type"] ?? "");
	let body: unknown = reply.body;
	if (isJson && reply.body !== "") body = JSON.parse(reply.body);
	return { id, status: reply.status, headers: reply.headers, ...(reply.body !== "" ? { body } : {}) };
}

function parseBatch(request: GraphRequest): Step[] | GraphReply {
	const requests = parseJsonObject(request.body)?.requests;
	if (!Array.isArray(requests)) {
		return badRequest(request, 'Invalid batch payload format: expected {"requests": [...]}.');
	}
	if (requests.length === 0 || requests.length > MAX_BATCH_STEPS) {
		return badRequest(
			request,
			`Invalid batch payload format: a batch holds 1 to ${MAX_BATCH_STEPS} requests; this one has ${requests.length}.`,
		);
	}
	const steps: Step[] = [];
	for (const raw of requests) {
		const step = parseStep(raw, request);
		if (typeof step === "string") return badRequest(request, step);
		if (steps.some((other) => other.id === step.id)) {
			return badRequest(request, `Batch request id '${step.id}' is used twice; ids must be unique.`);
		}
		steps.push(step);
	}
	return steps;
}

/** Answers `POST /$batch`: 400 for an invalid batch, else 200 with one response per step (in request order). */
export async function runBatch(
	request: GraphRequest,
	throttles: BatchThrottleQueue,
	runStep: StepRunner,
): Promise<GraphReply> {
	if (request.method !== "POST") {
		return graphError(request, 405, "Specified HTTP method is not allowed for the request target.", {
			code: "Request_BadRequest",
			headers: { Allow: "POST" },
		});
	}
	const steps = parseBatch(request);
	if (!Array.isArray(steps)) return steps;
	const ordered = executionOrder(steps);
	if (typeof ordered === "string") return badRequest(request, ordered);
	const throttle = throttles.take();
	const throttled = throttle
		? throttledIds(
				throttle,
				steps.map((step) => step.id),
			)
		: new Set<string>();
	const replies = new Map<string, GraphReply>();
	for (const step of ordered) {
		const failed = step.dependsOn.filter((dependency) => (replies.get(dependency)?.status ?? 0) >= 400);
		let forced = step.invalid;
		if (!forced && failed.length > 0) {
			forced = graphError(
				step.request,
				424,
				`Dependency failed: ${failed.map((id) => `'${id}'`).join(", ")}.`,
				{
					code: "FailedDependency",
				},
			);
		} else if (!forced && throttle && throttled.has(step.id)) {
			forced = throttledStepReply(throttle, step.request);
		}
		replies.set(step.id, await runStep(step.request, step.id, forced));
	}
	return graphJson(200, {
		responses: steps.map((step) => {
			const reply = replies.get(step.id);
			if (!reply) throw new RangeError(`batch step ${step.id} has no reply`);
			return stepResponse(step.id, reply);
		}),
	});
}
