import { ConfigurationError, O365Error, TokenBackendError } from "@o365/core";

/** Where the backend talks to, for error messages: never the value. */
export interface SecretTarget {
	/** The backend's name in errors (`aws-secrets`). */
	backend: string;
	secretName: string;
	/** The client's region, once known. */
	region: string | undefined;
}

/** The AWS error name of an SDK error (`ResourceNotFoundException`…), if it is one. */
export function awsErrorName(error: unknown): string | undefined {
	if (typeof error !== "object" || error === null) return undefined;
	const name = (error as { name?: unknown }).name;
	return typeof name === "string" ? name : undefined;
}

const ACCESS_DENIED = new Set([
	"AccessDeniedException",
	"AccessDenied",
	"UnrecognizedClientException",
	"InvalidSignatureException",
	"ExpiredTokenException",
	"IncompleteSignature",
	"MissingAuthenticationToken",
]);

/** The SDK's own network-level failures: the endpoint was not reached. */
const UNREACHABLE = new Set([
	"ECONNREFUSED",
	"ENOTFOUND",
	"EAI_AGAIN",
	"ECONNRESET",
	"ETIMEDOUT",
	"EHOSTUNREACH",
]);

function where(target: SecretTarget): string {
	return `secret "${target.secretName}" in region ${target.region ?? "(unresolved)"}`;
}

/**
 * A typed error for a failed Secrets Manager call: says which secret and region, what to check,
 * and keeps the SDK's error as `cause` (core redacts it). Built from the error's name and status
 * only: Secrets Manager never echoes the secret's value in an error, and neither does this.
 */
export function secretsCallError(target: SecretTarget, what: string, error: unknown): O365Error {
	if (error instanceof O365Error) return error;
	const name = awsErrorName(error) ?? "Error";
	const code = (error as { code?: unknown } | null)?.code;
	const noRegion = error instanceof Error && /Region is missing/i.test(error.message);
	if (noRegion || name === "CredentialsProviderError") {
		const fix = noRegion
			? 'no AWS region is set; pass regionName (e.g. "eu-west-1") or set AWS_REGION'
			: "no AWS credentials were found; set them (environment, shared config, or the instance or task role) or pass your own client";
		return new ConfigurationError(
			"backend_invalid_config",
			`[o365:${target.backend}] could not ${what}: ${fix}.`,
			{
				cause: error,
			},
		);
	}
	if (ACCESS_DENIED.has(name)) {
		return new TokenBackendError(
			target.backend,
			"backend_invalid_config",
			`could not ${what} (${name}) for ${where(target)}: check that the credentials are valid, that the IAM policy allows the secretsmanager actions this backend uses on this secret and its lease secret (see the README), that the region is the secret's (regionName, or the client's region) and is enabled for the account, and, with kmsKeyId, that kms:Decrypt/kms:GenerateDataKey are allowed on that key.`,
			{ cause: error },
		);
	}
	if (name === "ResourceNotFoundException") {
		return new TokenBackendError(
			target.backend,
			"backend_io",
			`could not ${what}: ${where(target)} does not exist (ResourceNotFoundException); check the secret name and the region (regionName, or the client's region).`,
			{ cause: error },
		);
	}
	if (name === "DecryptionFailure" || name === "EncryptionFailure" || name === "KMSInvalidStateException") {
		return new TokenBackendError(
			target.backend,
			"backend_invalid_config",
			`could not ${what} (${name}) for ${where(target)}: AWS KMS refused the secret's key; check that the key (kmsKeyId) exists and is enabled in this region and that the credentials may use it.`,
			{ cause: error },
		);
	}
	if (name === "LimitExceededException") {
		return new TokenBackendError(
			target.backend,
			"backend_io",
			`could not ${what} (LimitExceededException) for ${where(target)}: a Secrets Manager quota was reached (versions per secret, or secrets per account); saves more often than every few minutes create versions faster than AWS removes them.`,
			{ cause: error },
		);
	}
	if (typeof code === "string" && UNREACHABLE.has(code)) {
		return new TokenBackendError(
			target.backend,
			"backend_io",
			`could not ${what}: Secrets Manager was not reachable (${code}) for ${where(target)}; check the network, the region (regionName) and any endpoint setting of the client.`,
			{ cause: error },
		);
	}
	const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
	return new TokenBackendError(
		target.backend,
		"backend_io",
		`could not ${what}: Secrets Manager answered ${name}${status === undefined ? "" : ` (HTTP ${status})`} for ${where(target)}; try again.`,
		{ cause: error },
	);
}

/** The call ran past the backend's `timeoutMs`. */
export function timeoutError(
	target: SecretTarget,
	what: string,
	timeoutMs: number,
	cause: unknown,
): O365Error {
	return new TokenBackendError(
		target.backend,
		"backend_io",
		`could not ${what}: Secrets Manager did not answer within ${timeoutMs} ms (timeoutMs) for ${where(target)}; check the network and the region, or raise timeoutMs.`,
		{ cause },
	);
}
