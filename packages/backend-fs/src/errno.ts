/** A Node.js system error's code (`ENOENT`, `EEXIST`…), or `undefined` for any other error. */
export function errorCode(error: unknown): string | undefined {
	const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
	return typeof code === "string" ? code : undefined;
}
