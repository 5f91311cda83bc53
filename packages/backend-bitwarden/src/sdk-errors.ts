import { TokenBackendError } from "@o365/core";

/** The HTTP status in the SDK's `Received error message from server: [404 Not Found] …`. */
export function sdkStatus(error: unknown): number | undefined {
	const message = error instanceof Error ? error.message : String(error);
	const match = /\[(\d{3})\b[^\]]*\]/.exec(message);
	return match === null ? undefined : Number(match[1]);
}

/**
 * A typed error for what the SDK or the server refused. The SDK's own message is kept (core
 * redacts the access token and anything that looks like a credential from it), with what to do.
 */
export function storeError(backend: string, error: unknown, what: string, where: string): TokenBackendError {
	if (error instanceof TokenBackendError) return error;
	const message = error instanceof Error ? error.message : String(error);
	const status = sdkStatus(error);
	const quoted = `(${message.slice(0, 300)})`;
	if (/Access token is not in a valid format/i.test(message)) {
		return new TokenBackendError(
			backend,
			"backend_invalid_config",
			`could not ${what}: the access token is not in Bitwarden's format ${quoted}. Copy the machine account's access token again from the web vault.`,
			{ cause: error },
		);
	}
	if (/invalid_client/.test(message) || status === 401) {
		return new TokenBackendError(
			backend,
			"backend_invalid_config",
			`could not ${what}: Bitwarden refused the access token ${quoted}. It may be revoked or expired: create a new one for the machine account.`,
			{ cause: error },
		);
	}
	if (status === 403 || status === 404) {
		return new TokenBackendError(
			backend,
			"backend_invalid_config",
			`could not ${what}: ${where} was not found or the machine account may not use it ${quoted}. Check the id, and give the machine account "Can read, write" access to the secret's project.`,
			{ cause: error },
		);
	}
	if (/must not exceed|400 Bad Request/.test(message)) {
		return new TokenBackendError(
			backend,
			"backend_io",
			`could not ${what}: Bitwarden refused the value ${quoted}. A secret holds at most 25,000 characters: keep fewer users per secret (one backend per user).`,
			{ cause: error },
		);
	}
	if (/error sending request|connect|dns|timed out/i.test(message)) {
		return new TokenBackendError(
			backend,
			"backend_io",
			`could not ${what}: the Bitwarden server could not be reached ${quoted}. Check apiUrl and identityUrl and the network.`,
			{ cause: error },
		);
	}
	return new TokenBackendError(backend, "backend_io", `could not ${what}: ${message.slice(0, 300)}.`, {
		cause: error,
	});
}
