/**
 * Checks what a caller hands `get`, `post`, …, `paginate` and `batch` before anything is sent:
 * the URL, and the per-call options (read once, into a plain snapshot; see `read-options.ts`).
 */

import { O365Error } from "../errors.js";
import {
	describeValue,
	isBoolean,
	isHeaderInput,
	isNonNegativeNumber,
	isOneOf,
	isPlainObject,
	isSignal,
	type OptionCheck,
	type OptionChecks,
	optionsReader,
} from "../utils/read-options.js";
import type { BatchOptions } from "./batch.js";
import type { RequestBody } from "./body.js";
import type { RequestOptions } from "./options.js";
import type { PaginateOptions } from "./pagination.js";

const isParams: OptionCheck = (value) =>
	isPlainObject(value) &&
	Object.values(value).every(
		(item) => item === undefined || ["string", "number", "boolean"].includes(typeof item),
	)
		? undefined
		: "an object of string, number or boolean values, e.g. { $top: 10, $select: 'id' }";

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
	timeoutMs: isNonNegativeNumber,
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
	REQUEST_CHECKS, // `limit` is checked by PageIterator
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
