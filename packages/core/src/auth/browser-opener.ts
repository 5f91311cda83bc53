/**
 * The default `openBrowser`: the platform's opener (xdg-open, open, or cmd's start), detached
 * so that it never keeps our process alive. It resolves as soon as the opener started (never
 * waiting for the browser to exit), and `false` when it could not start or failed at once
 * (no opener installed, no display), so that the URL gets printed instead.
 */

/**
 * Opens `url` in a browser. Resolves `false` when no browser could be opened (the URL is then
 * printed); anything else means it was launched. Must not wait for the browser to exit.
 */
export type BrowserOpener = (
	url: string,
	options: { signal: AbortSignal },
) => // biome-ignore lint/suspicious/noConfusingVoidType: an opener returning Promise<void> (msal-node style, the test kit's) counts as opened
Promise<boolean | undefined | void> | boolean | undefined;

/** How long an opener that is still running counts as having worked, in milliseconds. */
const STARTED_AFTER_MS = 1000;

function command(url: string): [string, string[]] {
	if (process.platform === "darwin") return ["open", [url]];
	// `start` is a cmd builtin; its first quoted argument is a window title. `&` and `^` are cmd's.
	if (process.platform === "win32") return ["cmd", ["/c", "start", '""', url.replace(/[&^]/g, "^$&")]];
	return ["xdg-open", [url]];
}

export async function openSystemBrowser(url: string, { signal }: { signal: AbortSignal }): Promise<boolean> {
	const { spawn } = await import("node:child_process");
	const [file, args] = command(url);
	return new Promise<boolean>((resolve) => {
		let timer: NodeJS.Timeout | undefined;
		const settle = (opened: boolean) => {
			clearTimeout(timer);
			signal.removeEventListener("abort", onAbort);
			resolve(opened);
		};
		const onAbort = () => settle(false);
		try {
			const child = spawn(file, args, {
				detached: true,
				stdio: "ignore",
				windowsHide: true,
				windowsVerbatimArguments: process.platform === "win32",
			});
			child.once("error", () => settle(false));
			child.once("exit", (code) => settle(code === 0));
			child.once("spawn", () => {
				child.unref();
				timer = setTimeout(() => settle(true), STARTED_AFTER_MS);
				timer.unref();
			});
			signal.addEventListener("abort", onAbort, { once: true });
		} catch {
			settle(false);
		}
	});
}
