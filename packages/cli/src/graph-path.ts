/**
 * The `<path>` of `get` and `request`, and their `-q key=value` query parameters. A full URL must
 * point at the profile's Graph: the bearer token is never sent anywhere else.
 */

import { UsageError } from "./errors.js";

export function readGraphPath(path: string, serviceUrl: string): string {
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return path;
	const graph = new URL(serviceUrl);
	const url = URL.canParse(path) ? new URL(path) : undefined;
	if (url === undefined || url.origin !== graph.origin) {
		throw new UsageError(
			`'${path.slice(0, 100)}' is not on ${graph.origin}; give a Graph path such as 'me/messages', or a URL on the profile's Graph (--graph-url)`,
		);
	}
	return url.href;
}

export function readQuery(pairs: readonly string[]): Record<string, string> {
	const params: Record<string, string> = {};
	for (const pair of pairs) {
		const equals = pair.indexOf("=");
		if (equals <= 0) {
			throw new UsageError(`-q needs key=value, e.g. -q '$select=displayName'; got '${pair.slice(0, 80)}'`);
		}
		params[pair.slice(0, equals)] = pair.slice(equals + 1);
	}
	return params;
}
