/**
 * The request and reply shapes Graph routes work with, and Graph-shaped JSON and error bodies.
 */

/** A request as routes see it; also what a `$batch` step becomes. */
export interface GraphRequest {
	method: string;
	/** `"v1.0"` or `"beta"`; `undefined` when the path names neither. */
	version: string | undefined;
	/** Path after the version segment, e.g. `/users/delta` (the whole path when there is no version). */
	path: string;
	query: Record<string, string>;
	/** Names lower-cased. */
	headers: Record<string, string>;
	body: string;
	/** The `request-id` of the answer. */
	requestId: string;
	/** The caller's `client-request-id`, else `requestId`. */
	clientRequestId: string;
}

/** What a route answers. */
export interface GraphReply {
	status: number;
	headers: Record<string, string>;
	/** `""` for no body. */
	body: string;
}

/** The content type Graph sends with JSON. */
export const GRAPH_JSON =
	"application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export function graphJson(status: number, body: unknown, headers: Record<string, string> = {}): GraphReply {
	return { status, headers: { "Content-Type": GRAPH_JSON, ...headers }, body: JSON.stringify(body) };
}

export function emptyReply(status: number, headers: Record<string, string> = {}): GraphReply {
	return { status, headers, body: "" };
}

/** Graph's error `code` for a status, when the caller names none. */
const DEFAULT_CODES: Readonly<Record<number, string>> = {
	400: "BadRequest",
	401: "InvalidAuthenticationToken",
	403: "Authorization_RequestDenied",
	404: "Request_ResourceNotFound",
	405: "Request_BadRequest",
	409: "Conflict",
	412: "PreconditionFailed",
	424: "FailedDependency",
	429: "TooManyRequests",
	500: "generalException",
	501: "NotImplemented",
	502: "BadGateway",
	503: "serviceNotAvailable",
	504: "GatewayTimeout",
};

export function defaultErrorCode(status: number): string {
	return DEFAULT_CODES[status] ?? "UnknownError";
}

/** Graph's `innerError.date`: ISO 8601 without fractional seconds. */
function graphDate(now: Date): string {
	return now.toISOString().slice(0, 19);
}

/** `{error:{code, message, innerError:{date, "request-id", "client-request-id"}}}`, as Graph answers errors. */
export function graphError(
	request: Pick<GraphRequest, "requestId" | "clientRequestId">,
	status: number,
	message: string,
	options: { code?: string; headers?: Record<string, string> } = {},
): GraphReply {
	return graphJson(
		status,
		{
			error: {
				code: options.code ?? defaultErrorCode(status),
				message,
				innerError: {
					date: graphDate(new Date()),
					"request-id": request.requestId,
					"client-request-id": request.clientRequestId,
				},
			},
		},
		options.headers,
	);
}

/** The 404 Graph gives for a resource it does not have. */
export function notFound(request: GraphRequest, resource: string): GraphReply {
	return graphError(
		request,
		404,
		`Resource '${resource}' does not exist or one of its queried reference-property objects are not present.`,
		{ code: "Request_ResourceNotFound" },
	);
}

export function badRequest(request: GraphRequest, message: string, code = "BadRequest"): GraphReply {
	return graphError(request, 400, message, { code });
}
