import { ConfigurationError } from "@o365/core";

/** Default of `maxFileBytes`: 10 MiB, hundreds of times a large token cache. */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Checks `followSymlinks` and `maxFileBytes`, and fills in their defaults. */
export function fileLimits(options: { followSymlinks?: unknown; maxFileBytes?: unknown }): {
	followSymlinks: boolean;
	maxFileBytes: number;
} {
	const { followSymlinks = false, maxFileBytes = DEFAULT_MAX_FILE_BYTES } = options;
	if (typeof followSymlinks !== "boolean") {
		throw new ConfigurationError(
			"backend_invalid_config",
			"followSymlinks must be true or false; leave it out to refuse a token file that is a symbolic link.",
		);
	}
	if (typeof maxFileBytes !== "number" || !Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1) {
		throw new ConfigurationError(
			"backend_invalid_config",
			`maxFileBytes must be a whole number of bytes above 0; leave it out for the default (${DEFAULT_MAX_FILE_BYTES}).`,
		);
	}
	return { followSymlinks, maxFileBytes };
}
