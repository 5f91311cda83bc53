/**
 * Request URLs: absolute ones are used as they are; anything else is relative to the protocol's
 * service URL, with python-o365's resource shorthands in the first segment (`user:X` → `users/X`,
 * `group:X`, `site:X`, `x@y` → `users/x@y`). Cheap string checks only: this runs on every call.
 */

import { parseResource } from "../protocol/resource.js";

/** The full URL of a call. */
export function resolveUrl(
	serviceUrl: string,
	url: string | URL,
	params?: Record<string, string | number | boolean | undefined>,
): string {
	let target: string;
	if (typeof url !== "string") target = url.href;
	else if (url.startsWith("https://") || url.startsWith("http://")) target = url;
	else target = serviceUrl + resourcePath(url);
	return params === undefined ? target : appendParams(target, params);
}

/**
 * A path relative to the service URL with its leading `/` removed and a shorthand in its first
 * segment expanded: `/user:adele@contoso.com/messages` → `users/adele@contoso.com/messages`.
 */
export function resourcePath(path: string): string {
	let start = 0;
	while (path.charCodeAt(start) === 47 /* "/" */) start++;
	const relative = start === 0 ? path : path.slice(start);
	const end = firstOf(relative, "/", "?");
	const first = relative.slice(0, end);
	if (!first.includes(":") && !first.includes("@")) return relative;
	return parseResource(first) + relative.slice(end);
}

function firstOf(text: string, a: string, b: string): number {
	const ia = text.indexOf(a);
	const ib = text.indexOf(b);
	if (ia === -1) return ib === -1 ? text.length : ib;
	return ib === -1 ? ia : Math.min(ia, ib);
}

function appendParams(url: string, params: Record<string, string | number | boolean | undefined>): string {
	let query = "";
	for (const [name, value] of Object.entries(params)) {
		if (value === undefined) continue;
		query += `${query === "" ? "" : "&"}${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;
	}
	if (query === "") return url;
	const hash = url.indexOf("#");
	const base = hash === -1 ? url : url.slice(0, hash);
	return `${base}${base.includes("?") ? "&" : "?"}${query}`;
}
