import { FileSystemTokenBackend } from "@o365/backend-fs";
import type { TokenBackend } from "@o365/core";
import type { StoreConfig } from "./fleet-config.js";

/** Opens the shared store a fleet uses; each process opens its own handle. */
export async function openStore(
	config: StoreConfig,
): Promise<{ backend: TokenBackend; close(): Promise<void> }> {
	switch (config.kind) {
		case "fs":
			return { backend: new FileSystemTokenBackend({ tokenPath: config.tokenPath }), close: async () => {} };
		default:
			throw new Error(`store kind ${config.kind} is not available in this build`);
	}
}
