import { TokenBackendError } from "@o365/core";

/** Where an S3 call went, for error messages: never the value. */
export interface S3Location {
	backendName: string;
	bucketName: string;
	key: string;
}

/** The S3 error code (`NoSuchKey`, `PreconditionFailed`…) and HTTP status of an SDK error. */
export function s3ErrorCode(error: unknown): { code: string | undefined; status: number | undefined } {
	if (typeof error !== "object" || error === null) return { code: undefined, status: undefined };
	const { name, Code, $metadata } = error as {
		name?: unknown;
		Code?: unknown;
		$metadata?: { httpStatusCode?: unknown };
	};
	const code = typeof Code === "string" ? Code : typeof name === "string" ? name : undefined;
	const status = typeof $metadata?.httpStatusCode === "number" ? $metadata.httpStatusCode : undefined;
	return { code, status };
}

/** "No such key": the only S3 answer that means "nothing stored". */
export function isNoSuchKey(error: unknown): boolean {
	const { code } = s3ErrorCode(error);
	return code === "NoSuchKey" || code === "NotFound";
}

/**
 * A conditional write lost: `412 Precondition Failed` (the ETag moved, or the object exists for
 * `If-None-Match: *`), or `409 ConditionalRequestConflict` (another conditional write to the same
 * key was in flight: S3 asks to retry, which for compare-and-set means "someone else won").
 */
export function isConditionFailed(error: unknown): boolean {
	const { code, status } = s3ErrorCode(error);
	return status === 412 || code === "PreconditionFailed" || code === "ConditionalRequestConflict";
}

/** What to put in the IAM policy, quoted by the "denied" error. */
const iamHint = (bucket: string) =>
	`s3:GetObject, s3:PutObject and s3:DeleteObject on arn:aws:s3:::${bucket}/<filename>* and s3:ListBucket on arn:aws:s3:::${bucket} (see the package README)`;

/**
 * Turns an SDK error into a `TokenBackendError` that names the bucket and says what to check:
 * a missing bucket, denied access, a wrong region and missing configuration (no region, no
 * credentials) are `backend_invalid_config`; anything else is `backend_io`. The SDK error is kept
 * as `cause` (core redacts it).
 */
export function toBackendError(error: unknown, where: S3Location, action: string): TokenBackendError {
	if (error instanceof TokenBackendError) return error;
	const { backendName, bucketName, key } = where;
	const target = `s3://${bucketName}/${key}`;
	const { code, status } = s3ErrorCode(error);
	const message = error instanceof Error ? error.message : String(error);
	const config = (text: string) =>
		new TokenBackendError(backendName, "backend_invalid_config", text, { cause: error });
	if (code === "NoSuchBucket") return missingBucketError(where, action, error);
	if (
		code === "PermanentRedirect" ||
		code === "AuthorizationHeaderMalformed" ||
		code === "IllegalLocationConstraintException" ||
		status === 301
	) {
		const region = bucketRegion(error);
		return config(
			`could not ${action} ${target}: the bucket "${bucketName}" is in another region${region === undefined ? "" : ` (${region})`} than the S3 client's. Pass a client made with that region: new S3Client({ region: "${region ?? "<the bucket's region>"}" }).`,
		);
	}
	if (
		code === "AccessDenied" ||
		code === "InvalidAccessKeyId" ||
		code === "SignatureDoesNotMatch" ||
		code === "ExpiredToken" ||
		code === "InvalidToken" ||
		code === "AllAccessDisabled" ||
		status === 403
	) {
		return config(
			`could not ${action} ${target}: access to the bucket "${bucketName}" was denied (${code === undefined || code === "Unknown" ? `HTTP ${status}` : code}). Check the credentials the client uses and that their IAM policy allows ${iamHint(bucketName)}; with SSE-KMS, also kms:GenerateDataKey and kms:Decrypt on the key.`,
		);
	}
	if (/region is missing/i.test(message)) {
		return config(
			`could not ${action} ${target}: the S3 client has no region. Set AWS_REGION, or pass client: new S3Client({ region: "<the bucket's region>" }).`,
		);
	}
	if (code === "CredentialsProviderError" || /could not load credentials/i.test(message)) {
		return config(
			`could not ${action} ${target}: no AWS credentials were found for the bucket "${bucketName}". Configure the default credential chain (environment, shared config, instance or task role), or pass a client with credentials.`,
		);
	}
	return new TokenBackendError(
		backendName,
		"backend_io",
		`could not ${action} ${target}: ${code ?? "error"}${status === undefined ? "" : ` (HTTP ${status})`}: ${message}. Check that S3 is reachable from here; the stored token was not changed by this failure unless a write had reached S3.`,
		{ cause: error },
	);
}

/** The bucket does not exist (a `NoSuchBucket`, or a HEAD on the bucket answered 404). */
export function missingBucketError(where: S3Location, action: string, cause: unknown): TokenBackendError {
	return new TokenBackendError(
		where.backendName,
		"backend_invalid_config",
		`could not ${action} s3://${where.bucketName}/${where.key}: the bucket "${where.bucketName}" does not exist. Check bucketName, and that the client points at the right account, region and endpoint; create the bucket first (this backend never creates buckets).`,
		{ cause },
	);
}

/** The region S3 named in a redirect (`x-amz-bucket-region`), if any. */
function bucketRegion(error: unknown): string | undefined {
	const headers = (error as { $response?: { headers?: Record<string, unknown> } }).$response?.headers;
	const region = headers?.["x-amz-bucket-region"];
	if (typeof region === "string" && /^[a-z0-9-]{1,40}$/.test(region)) return region;
	const fromMessage = /expecting '([a-z0-9-]{1,40})'/.exec(
		(error as { message?: unknown }).message?.toString() ?? "",
	);
	return fromMessage?.[1];
}
