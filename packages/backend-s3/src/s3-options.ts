import type { S3Client, ServerSideEncryption } from "@aws-sdk/client-s3";
import { ConfigurationError } from "@o365/core";
import type { AWSS3BackendOptions } from "./aws-s3-backend.js";

/** S3's longest key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;
/** Room kept for the longest suffix added to the key: `.corrupt-2026-01-01T000000.000Z`. */
const SUFFIX_BYTES = 32;
const ENCRYPTIONS = ["AES256", "aws:kms", "aws:kms:dsse"];

const invalid = (message: string) => new ConfigurationError("backend_invalid_config", message);

/** Checks every option once, in the constructor, and says how to fix what is wrong. */
export function checkS3Options(options: AWSS3BackendOptions | undefined): {
	bucketName: string;
	filename: string;
	client: S3Client | undefined;
	serverSideEncryption: ServerSideEncryption | undefined;
	kmsKeyId: string | undefined;
	timeoutMs: number | undefined;
} {
	if (typeof options !== "object" || options === null) {
		throw invalid(
			'AWSS3Backend needs its options: new AWSS3Backend({ bucketName: "my-bucket", filename: "o365_token.txt" }).',
		);
	}
	const { bucketName, filename, client, kmsKeyId, timeoutMs } = options;
	let { serverSideEncryption } = options;
	// Bucket naming rules (lowercase letters, digits, dots, hyphens; 3-63), loosely: a wrong
	// name must fail here, not as a signature or DNS error later.
	if (typeof bucketName !== "string" || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketName)) {
		throw invalid(
			`bucketName must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens), e.g. "my-app-tokens"; got ${describe(bucketName)}.`,
		);
	}
	if (typeof filename !== "string" || filename === "" || filename.startsWith("/")) {
		throw invalid(
			`filename must be the token object's key, a non-empty string not starting with "/", e.g. "o365_token.txt"; got ${describe(filename)}.`,
		);
	}
	if (Buffer.byteLength(filename) > MAX_KEY_BYTES - SUFFIX_BYTES) {
		throw invalid(
			`filename must be at most ${MAX_KEY_BYTES - SUFFIX_BYTES} bytes (S3 keys are at most ${MAX_KEY_BYTES}).`,
		);
	}
	if (
		client !== undefined &&
		(typeof client !== "object" || client === null || typeof client.send !== "function")
	) {
		throw invalid(
			"client must be an S3Client from @aws-sdk/client-s3 (new S3Client({ region })), or left out.",
		);
	}
	if (kmsKeyId !== undefined && (typeof kmsKeyId !== "string" || kmsKeyId === "")) {
		throw invalid("kmsKeyId must be a KMS key id, ARN or alias (a non-empty string), or left out.");
	}
	if (serverSideEncryption !== undefined && !ENCRYPTIONS.includes(serverSideEncryption)) {
		throw invalid(
			`serverSideEncryption must be "AES256" (SSE-S3) or "aws:kms" (SSE-KMS), or left out; got ${describe(serverSideEncryption)}.`,
		);
	}
	if (kmsKeyId !== undefined) {
		if (serverSideEncryption === "AES256") {
			throw invalid('kmsKeyId needs serverSideEncryption "aws:kms" (or left out); "AES256" uses no KMS key.');
		}
		serverSideEncryption ??= "aws:kms";
	}
	if (
		timeoutMs !== undefined &&
		!(typeof timeoutMs === "number" && Number.isFinite(timeoutMs) && timeoutMs > 0)
	) {
		throw invalid(
			`timeoutMs must be a number of milliseconds above 0, or left out for 30000; got ${describe(timeoutMs)}.`,
		);
	}
	return { bucketName, filename, client, serverSideEncryption, kmsKeyId, timeoutMs };
}

function describe(value: unknown): string {
	return typeof value === "string" ? JSON.stringify(value) : typeof value;
}
