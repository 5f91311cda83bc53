/**
 * Which sign-in `o365 login` uses. A browser on this machine (loopback redirect) when there is a
 * local desktop; device code over SSH, in CI, or without a display (as az and the Teams CLI do),
 * because a browser opened there would be on the wrong machine, or nowhere.
 */

import { UsageError } from "./errors.js";

export type CliSignInMethod = "deviceCode" | "loopback";

export interface MethodFlags {
	deviceCode: boolean;
	browser: boolean;
	noBrowser: boolean;
}

export function chooseSignInMethod(
	flags: MethodFlags,
	env: Readonly<Record<string, string | undefined>>,
	platform: NodeJS.Platform,
): CliSignInMethod {
	if (flags.deviceCode && (flags.browser || flags.noBrowser)) {
		throw new UsageError("--device-code cannot be combined with --browser or --no-browser; pick one");
	}
	if (flags.browser && flags.noBrowser) {
		throw new UsageError("--browser opens a browser and --no-browser prints the URL instead; pick one");
	}
	if (flags.deviceCode) return "deviceCode";
	if (flags.browser || flags.noBrowser) return "loopback";
	return isRemoteOrHeadless(env, platform) ? "deviceCode" : "loopback";
}

export function isRemoteOrHeadless(
	env: Readonly<Record<string, string | undefined>>,
	platform: NodeJS.Platform,
): boolean {
	const set = (name: string) => (env[name] ?? "") !== "";
	if (set("SSH_CONNECTION") || set("SSH_TTY") || set("CI")) return true;
	return platform === "linux" && !set("DISPLAY") && !set("WAYLAND_DISPLAY");
}
