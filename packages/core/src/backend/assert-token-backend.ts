import { ConfigurationError, O365Error } from "../errors.js";
import type { TokenBackend } from "./token-backend.js";

const REQUIRED = [
	"loadToken",
	"saveToken",
	"deleteToken",
	"checkToken",
	"shouldRefreshToken",
	"serialize",
	"deserialize",
	"getAllAccounts",
	"getAccount",
	"getAccessToken",
	"getRefreshToken",
	"getTokenScopes",
	"read",
	"write",
	"remove",
	"exists",
] as const;

/**
 * Checks once, at construction, that a token backend has every method core calls, and names all
 * the missing ones in one error (instead of failing at the first refresh, hours later). A backend
 * that throws while it is inspected (a Proxy, a throwing getter) is refused with the same code.
 */
export function assertTokenBackend(backend: unknown): asserts backend is TokenBackend {
	try {
		checkMethods(backend);
	} catch (error) {
		if (error instanceof O365Error) throw error;
		throw new ConfigurationError(
			"backend_invalid_config",
			"inspecting tokenBackend threw (see the cause); pass a token backend object, e.g. new MemoryTokenBackend().",
			{ cause: error },
		);
	}
}

function checkMethods(backend: unknown): void {
	if (backend === null || typeof backend !== "object") {
		throw new ConfigurationError(
			"backend_invalid_config",
			"tokenBackend must be a token backend object, e.g. new FileSystemTokenBackend({ tokenPath }) or new MemoryTokenBackend().",
		);
	}
	const record = backend as Record<string, unknown>;
	const missing = REQUIRED.filter((method) => typeof record[method] !== "function");
	if (missing.length > 0) {
		throw new ConfigurationError(
			"backend_invalid_config",
			`tokenBackend is missing ${missing.join(", ")}. Extend BaseTokenBackend from @o365/core and implement read, write, remove and exists.`,
		);
	}
	const versioned = ["readVersioned", "writeIfVersion"].filter(
		(method) => typeof record[method] === "function",
	);
	if (versioned.length === 1) {
		throw new ConfigurationError(
			"backend_invalid_config",
			`tokenBackend implements ${versioned[0]} but not ${versioned[0] === "readVersioned" ? "writeIfVersion" : "readVersioned"}; compare-and-set needs both (or neither).`,
		);
	}
	if (record.acquireLease !== undefined && typeof record.acquireLease !== "function") {
		throw new ConfigurationError("backend_invalid_config", "tokenBackend.acquireLease must be a method.");
	}
	if (typeof record.name !== "string" || record.name.length === 0) {
		throw new ConfigurationError(
			"backend_invalid_config",
			'tokenBackend needs a non-empty `name`, e.g. "redis".',
		);
	}
}
