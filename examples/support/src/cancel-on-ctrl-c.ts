/** An AbortSignal that Ctrl-C (SIGINT) aborts: a waiting sign-in stops cleanly instead of being killed. */
export function cancelOnCtrlC(): { signal: AbortSignal; dispose(): void } {
	const controller = new AbortController();
	const abort = () => controller.abort(new Error("cancelled with Ctrl-C"));
	process.once("SIGINT", abort);
	return { signal: controller.signal, dispose: () => process.off("SIGINT", abort) };
}
