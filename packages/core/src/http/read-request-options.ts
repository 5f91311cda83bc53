/**
 * Checks what a caller hands `get`, `post`, …, `paginate` and `batch` before anything is sent:
 * the URL, and the per-call options (read once, into a plain snapshot; see `read-options.ts`).
 */

import { O365Error } from "../errors.js";
import {
	describeValue,
	everyValue,
	isBoolean,
	isHeaderInput,
	isNonNegativeNumber,
	isOneOf,
	isPlainObject,
	isSignal,
	isTimeoutMs,
	type OptionCheck,
	type OptionChecks,
	optionsReader,
} from "../utils/read-options.js";
import type { BatchOptions, BatchRequest } from "./batch.js";
import type { RequestBody } from "./body.js";
import type { RequestOptions } from "./options.js";
import type { PaginateOptions } from "./pagination.js";

const isParams: OptionCheck = (value) =>
	isPlainObject(value) && everyValue(value, isParamValue)
		? undefined
		: "an object of string, number or boolean values, e.g. { $top: 10, $select: 'id' }";

function isParamValue(value: unknown): boolean {
	const type = typeof value;
	return type === "string" || type === "number" || type === "boolean" || type === "undefined";
}

const REQUEST_KEYS = [
	"headers",
	"params",
	"signal",
	"timeoutMs",
	"raiseHttpErrors",
	"requestRetries",
	"retryBudgetMs",
	"redirect",
] as const satisfies readonly (keyof RequestOptions)[];

const REQUEST_CHECKS: OptionChecks<RequestOptions> = {
	headers: isHeaderInput,
	params: isParams,
	signal: isSignal,
	timeoutMs: isTimeoutMs,
	raiseHttpErrors: isBoolean,
	requestRetries: isNonNegativeNumber,
	retryBudgetMs: isNonNegativeNumber,
	redirect: isOneOf(["follow", "manual", "error"]),
};

const CONTEXT = { where: "request", code: "invalid_request" } as const;

export const readRequestOptions = optionsReader<RequestOptions>(REQUEST_KEYS, REQUEST_CHECKS, CONTEXT);

/** `oauthRequest`/`naiveRequest` options: the request options and the body (`data`, checked when encoded). */
export const readRequestWithDataOptions = optionsReader<RequestOptions & { data?: RequestBody }>(
	[...REQUEST_KEYS, "data"],
	REQUEST_CHECKS,
	CONTEXT,
);

export const readPaginateOptions = optionsReader<PaginateOptions>(
	[...REQUEST_KEYS.filter((key) => key !== "raiseHttpErrors"), "limit"],
	{ ...REQUEST_CHECKS, limit: isNonNegativeNumber },
	{ where: "paginate()", code: "invalid_request" },
);

export const readBatchOptions = optionsReader<BatchOptions>(
	["headers", "signal", "timeoutMs", "requestRetries", "retryBudgetMs"],
	REQUEST_CHECKS,
	{ where: "batch()", code: "invalid_request" },
);

/** A call's URL: a string (absolute, or relative to the service URL) or a `URL`. */
export function assertRequestUrl(url: unknown): asserts url is string | URL {
	let valid: boolean;
	try {
		valid = typeof url === "string" || url instanceof URL;
	} catch {
		valid = false;
	}
	if (!valid) {
		throw new O365Error(
			"invalid_request",
			`the request url must be a string such as '/me/messages' or 'https://graph.microsoft.com/v1.0/me', or a URL; got ${describeValue(url)}.`,
		);
	}
}

const BATCH_REQUEST_KEYS = ["id", "method", "url", "headers", "body", "dependsOn"] as const;

/**
 * The batch's requests as plain copies (`batch()` checks their values): a Proxy or a getter that
 * throws, headers that are not strings and a `dependsOn` that is not an array are refused here.
 */
export function readBatchRequests(requests: unknown): BatchRequest[] {
	const copies: BatchRequest[] = [];
	let index = 0;
	try {
		if (!Array.isArray(requests)) {
			throw new O365Error(
				"invalid_request",
				`batch() takes an array of { id, method, url } requests; got ${describeValue(requests)}.`,
			);
		}
		for (; index < requests.length; index++) {
			const request: unknown = requests[index];
			if (request === null || typeof request !== "object") {
				throw new O365Error(
					"invalid_request",
					`batch request #${index} must be an object { id, method, url }; got ${describeValue(request)}.`,
				);
			}
			const copy: Record<string, unknown> = {};
			for (const key of BATCH_REQUEST_KEYS) {
				const value = (request as Record<string, unknown>)[key];
				if (value !== undefined) copy[key] = value;
			}
			if (copy.headers !== undefined && !isStringRecord(copy.headers)) {
				throw new O365Error(
					"invalid_request",
					`the headers of batch request #${index} must be an object of string values; got ${describeValue(copy.headers)}.`,
				);
			}
			if (Array.isArray(copy.dependsOn)) copy.dependsOn = [...copy.dependsOn];
			copies.push(copy as unknown as BatchRequest);
		}
	} catch (error) {
		if (error instanceof O365Error) throw error;
		throw new O365Error(
			"invalid_request",
			`reading batch request #${index} threw (see the cause); pass plain objects { id, method, url }.`,
			{ cause: error },
		);
	}
	return copies;
}

function isStringRecord(value: unknown): boolean {
	return isPlainObject(value) && everyValue(value, (item) => typeof item === "string");
}
