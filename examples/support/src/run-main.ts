import { O365Error } from "@o365/core";

/**
 * Runs an example's `main`: a failure is printed as `Name: message` (our errors' messages say what
 * to do, and never hold a secret) and sets the exit code, instead of a stack trace.
 */
export function runMain(main: () => Promise<void>): void {
	main().catch((error: unknown) => {
		console.error(error instanceof Error ? `${error.name}: ${error.message}${reason(error)}` : error);
		process.exitCode = 1;
	});
}

/** Why an aborted call was aborted (e.g. "cancelled with Ctrl-C"), which the error keeps as its cause. */
function reason(error: Error): string {
	return error instanceof O365Error && error.code === "aborted" && error.cause instanceof Error
		? ` (${error.cause.message})`
		: "";
}
