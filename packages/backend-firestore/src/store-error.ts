import { ConfigurationError, O365Error, TokenBackendError } from "@o365/core";

/** gRPC status names, by code, as Firestore reports them. */
const STATUS_NAMES: Record<number, string> = {
	1: "CANCELLED",
	2: "UNKNOWN",
	3: "INVALID_ARGUMENT",
	4: "DEADLINE_EXCEEDED",
	5: "NOT_FOUND",
	6: "ALREADY_EXISTS",
	7: "PERMISSION_DENIED",
	8: "RESOURCE_EXHAUSTED",
	9: "FAILED_PRECONDITION",
	10: "ABORTED",
	11: "OUT_OF_RANGE",
	12: "UNIMPLEMENTED",
	13: "INTERNAL",
	14: "UNAVAILABLE",
	15: "DATA_LOSS",
	16: "UNAUTHENTICATED",
};

/**
 * The typed error for a failed Firestore call: refused access is a configuration error (only
 * the server can tell), anything else `backend_io`. The message names the gRPC status, never
 * what the server said (it may quote the request); the client's error is kept as a redacted
 * `cause`. O365 errors (the deadline's, a lease's) and the caller's abort reason pass through.
 */
export function storeError(backendName: string, what: string, where: string, error: unknown): unknown {
	if (error instanceof O365Error || isAbort(error)) return error;
	const code = (error as { code?: unknown } | null)?.code;
	const status = typeof code === "number" ? (STATUS_NAMES[code] ?? `status ${code}`) : undefined;
	if (code === 7 || code === 16) {
		return new ConfigurationError(
			"backend_invalid_config",
			`[o365:${backendName}] could not ${what}: Firestore refused access to ${where} (${status}). Give the client's service account the role roles/datastore.user on the project (or a custom role with datastore.entities.get, create, update and delete), and check the client's projectId and credentials.`,
			{ cause: error },
		);
	}
	const hint =
		code === 3
			? " The document may exceed Firestore's 1 MiB limit, or a field name may be invalid."
			: code === 8
				? " Firestore's quota or a write rate limit was exceeded; try again later."
				: " Check that the server is reachable.";
	return new TokenBackendError(
		backendName,
		"backend_io",
		`could not ${what} at ${where}: Firestore answered ${status ?? "with an error that has no status"}.${hint}`,
		{ cause: error },
	);
}

function isAbort(error: unknown): boolean {
	return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}
