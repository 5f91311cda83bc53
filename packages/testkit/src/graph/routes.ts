/**
 * The Graph resources the fake serves, under `/v1.0` and `/beta`: `/me`, `/me/sendMail`, `/users`,
 * `/users/delta`, `/users/{id | userPrincipalName}` and `/echo`. (`/$batch` is in `batch.ts`.)
 */
import { parseJsonObject } from "../http.js";
import type { GraphPrincipal } from "./auth.js";
import type { DeltaTracker } from "./delta.js";
import { type Directory, select } from "./directory.js";
import {
	absoluteLink,
	decodeToken,
	encodeToken,
	odataContext,
	offsetOf,
	pageSizeOf,
	queryWithout,
} from "./paging.js";
import { redactHeaders } from "./recorder.js";
import {
	badRequest,
	emptyReply,
	type GraphReply,
	type GraphRequest,
	graphError,
	graphJson,
	notFound,
} from "./replies.js";
import type { FakeGraphUser } from "./types.js";

/** What routes need from the running fake. */
export interface GraphContext {
	/** `http://127.0.0.1:<port>`, known once the server listens. */
	origin: string;
	readonly directory: Directory;
	readonly delta: DeltaTracker;
	/** Default page size of `/users`. */
	readonly pageSize: number;
}

type Handler = (
	context: GraphContext,
	request: GraphRequest,
	principal: GraphPrincipal,
	match: string[],
) => GraphReply;

interface Route {
	pattern: RegExp;
	/** Methods served; `undefined` for any. */
	methods?: readonly string[];
	handler: Handler;
}

/** The versions Graph serves. */
export const GRAPH_VERSIONS: ReadonlySet<string> = new Set(["v1.0", "beta"]);

/** The signed-in user of a delegated token, or the 400 Graph gives `/me` with an app-only token. */
function signedInUser(
	context: GraphContext,
	request: GraphRequest,
	principal: GraphPrincipal,
): FakeGraphUser | GraphReply {
	if (principal.kind === "app") {
		return badRequest(request, "/me request is only valid with delegated authentication flow.");
	}
	const { oid, username } = principal;
	const known =
		(oid !== undefined ? context.directory.find(oid) : undefined) ??
		(username !== undefined ? context.directory.find(username) : undefined);
	if (known) return known;
	if (oid !== undefined || username !== undefined) {
		const upn = username ?? oid ?? "";
		return {
			id: oid ?? "",
			displayName: principal.name ?? upn,
			userPrincipalName: upn,
			mail: username ?? null,
		};
	}
	// An opaque token accepted without an identity platform acts as the first directory user.
	return context.directory.users[0] ?? notFound(request, "me");
}

function isUser(value: FakeGraphUser | GraphReply): value is FakeGraphUser {
	return "userPrincipalName" in value;
}

function entity(context: GraphContext, request: GraphRequest, user: FakeGraphUser): GraphReply {
	return graphJson(200, {
		"@odata.context": odataContext(context.origin, request, "users/$entity"),
		...select(user, request.query.$select),
	});
}

const me: Handler = (context, request, principal) => {
	const user = signedInUser(context, request, principal);
	return isUser(user) ? entity(context, request, user) : user;
};

const sendMail: Handler = (context, request, principal) => {
	const user = signedInUser(context, request, principal);
	if (!isUser(user)) return user;
	const message = parseJsonObject(request.body)?.message;
	if (typeof message !== "object" || message === null) {
		return badRequest(
			request,
			"Empty Payload. JSON content expected with a 'message' object.",
			"ErrorInvalidRequest",
		);
	}
	return emptyReply(202);
};

const listUsers: Handler = (context, request) => {
	const size = pageSizeOf(request, context.pageSize);
	if (typeof size !== "number") return size;
	const skipToken = request.query.$skiptoken;
	const offset = skipToken === undefined ? 0 : offsetOf(decodeToken(skipToken));
	if (offset === undefined) {
		return badRequest(
			request,
			"The specified page token value has expired and can no longer be included in your request.",
			"Directory_ExpiredPageToken",
		);
	}
	const users = context.directory.users;
	const end = offset + size;
	const body: Record<string, unknown> = { "@odata.context": odataContext(context.origin, request, "users") };
	if (end < users.length) {
		body["@odata.nextLink"] = absoluteLink(context.origin, request, "/users", {
			...queryWithout(request, "$skiptoken"),
			$skiptoken: encodeToken({ offset: end }),
		});
	}
	body.value = users.slice(offset, end).map((user) => select(user, request.query.$select));
	return graphJson(200, body);
};

const getUser: Handler = (context, request, _principal, match) => {
	const key = decodeURIComponent(match[1] ?? "");
	const user = context.directory.find(key);
	return user ? entity(context, request, user) : notFound(request, key);
};

/** Reflects the request, so a client's header merging and body encoding can be checked. */
const echo: Handler = (_context, request) =>
	graphJson(200, {
		method: request.method,
		path: request.path,
		query: request.query,
		headers: redactHeaders(request.headers),
		body: request.body,
		contentType: request.headers["content-type"] ?? null,
	});

const ROUTES: readonly Route[] = [
	{ pattern: /^\/me$/i, methods: ["GET"], handler: me },
	{ pattern: /^\/me\/sendMail$/i, methods: ["POST"], handler: sendMail },
	{ pattern: /^\/users$/i, methods: ["GET"], handler: listUsers },
	{
		pattern: /^\/users\/delta(?:\(\))?$/i,
		methods: ["GET"],
		handler: (context, request) => context.delta.handle(request),
	},
	{ pattern: /^\/users\/([^/]+)$/i, methods: ["GET"], handler: getUser },
	{ pattern: /^\/echo(?:\/.*)?$/i, handler: echo },
];

/** Answers an authenticated request (not `$batch`): the route's reply, 405 for a wrong method, 404 for the rest. */
export function route(context: GraphContext, request: GraphRequest, principal: GraphPrincipal): GraphReply {
	const path = request.path.length > 1 ? request.path.replace(/\/+$/, "") : request.path;
	if (request.version !== undefined && GRAPH_VERSIONS.has(request.version)) {
		for (const { pattern, methods, handler } of ROUTES) {
			const match = pattern.exec(path);
			if (!match) continue;
			if (methods && !methods.includes(request.method)) {
				return graphError(request, 405, "Specified HTTP method is not allowed for the request target.", {
					code: "Request_BadRequest",
					headers: { Allow: methods.join(", ") },
				});
			}
			return handler(context, request, principal, [...match]);
		}
	}
	const resource = request.version === undefined ? request.path : `/${request.version}${request.path}`;
	return notFound(request, resource);
}
