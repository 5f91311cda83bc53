/**
 * Runs an example's `main`: a failure is printed as `Name: message` (our errors' messages say what
 * to do, and never hold a secret) and sets the exit code, instead of a stack trace.
 */
export function runMain(main: () => Promise<void>): void {
	main().catch((error: unknown) => {
		console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
		process.exitCode = 1;
	});
}
