/**
 * Paging helpers: page sizes (`$top`, `Prefer: odata.maxpagesize`), opaque page tokens and absolute links.
 */
import { badRequest, type GraphReply, type GraphRequest } from "./replies.js";

/** Largest page Graph serves for directory objects. */
export const MAX_PAGE_SIZE = 999;

/**
 * The page size a request asks for: `$top`, else `Prefer: odata.maxpagesize=N`, else `defaultSize`; capped at
 * {@link MAX_PAGE_SIZE}. A `$top` that is not a whole number ≥ 1 gets Graph's 400.
 */
export function pageSizeOf(request: GraphRequest, defaultSize: number): number | GraphReply {
	const top = request.query.$top;
	if (top !== undefined) {
		const size = Number(top);
		if (!/^\d+$/.test(top.trim()) || size < 1) {
			return badRequest(
				request,
				`Invalid page size specified: '${top}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`,
				"Request_BadRequest",
			);
		}
		return Math.min(size, MAX_PAGE_SIZE);
	}
	const preferred = /odata\.maxpagesize=(\d+)/i.exec(request.headers.prefer ?? "")?.[1];
	if (preferred !== undefined && Number(preferred) >= 1) return Math.min(Number(preferred), MAX_PAGE_SIZE);
	return defaultSize;
}

/** An opaque token (base64url JSON), as Graph's `$skiptoken` values look to clients. */
export function encodeToken(value: Record<string, string | number>): string {
	return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export function decodeToken(token: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
		return typeof value === "object" && value !== null && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

/** The offset in a page token, when it is a whole number ≥ 0. */
export function offsetOf(token: Record<string, unknown> | undefined): number | undefined {
	const offset = token?.offset;
	return typeof offset === "number" && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

/**
 * An absolute link to `path` under the request's version with the given query, keeping `$` literal in parameter
 * names as Graph does (`?$top=2&$skiptoken=…`).
 */
export function absoluteLink(
	origin: string,
	request: GraphRequest,
	path: string,
	query: Record<string, string>,
): string {
	const search = Object.entries(query)
		.map(([name, value]) => `${encodeURIComponent(name).replace(/%24/g, "$")}=${encodeURIComponent(value)}`)
		.join("&");
	return `${origin}/${request.version ?? "v1.0"}${path}${search ? `?${search}` : ""}`;
}

/** The request's query without the named parameters (any case). */
export function queryWithout(request: GraphRequest, ...names: string[]): Record<string, string> {
	const dropped = new Set(names.map((name) => name.toLowerCase()));
	return Object.fromEntries(
		Object.entries(request.query).filter(([name]) => !dropped.has(name.toLowerCase())),
	);
}

/** `@odata.context` of a collection or entity, e.g. `…/v1.0/$metadata#users`. */
export function odataContext(origin: string, request: GraphRequest, fragment: string): string {
	return `${origin}/${request.version ?? "v1.0"}/$metadata#${fragment}`;
}
