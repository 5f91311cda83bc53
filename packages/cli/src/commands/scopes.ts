/** `--scope` values: repeatable, and each may hold several scopes separated by spaces or commas. */

export function readScopes(values: readonly string[]): string[] {
	return [...new Set(values.flatMap((value) => value.split(/[\s,]+/)).filter((scope) => scope !== ""))];
}

/** `https://graph.microsoft.com/Mail.Read` and `Mail.Read` name the same permission (any case). */
export function shortScope(scope: string): string {
	return scope.replace(/^https?:\/\/[^/]+\//, "").toLowerCase();
}
