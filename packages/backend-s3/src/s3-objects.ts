import {
	DeleteObjectCommand,
	GetObjectCommand,
	HeadBucketCommand,
	HeadObjectCommand,
	PutObjectCommand,
	type PutObjectCommandOutput,
	type S3Client,
	type ServerSideEncryption,
} from "@aws-sdk/client-s3";
import { boundedSend } from "./bounded-send.js";
import { isConditionFailed, isNoSuchKey, missingBucketError } from "./s3-errors.js";

/** Server-side encryption applied to every object this backend writes. */
export interface ObjectEncryption {
	serverSideEncryption: ServerSideEncryption | undefined;
	kmsKeyId: string | undefined;
}

/** An object's text and its ETag, exactly as S3 returned it (quotes included). */
export interface StoredObject {
	body: string;
	etag: string;
}

/** A write's precondition: `ifMatch` an ETag (replace), or `ifNoneMatch: "*"` (create). */
export type WriteCondition = { ifMatch: string } | { ifNoneMatch: "*" } | undefined;

/**
 * The few S3 calls this backend makes, on one bucket, each bounded by `timeoutMs` and the
 * caller's signal (see `boundedSend`). Objects are written as `text/plain; charset=utf-8` with no
 * ACL, so they stay private to the bucket owner (S3's default, and the only form a bucket with
 * ACLs disabled accepts), with the configured server-side encryption.
 */
export class S3Objects {
	constructor(
		readonly client: S3Client,
		readonly bucketName: string,
		readonly backendName: string,
		readonly timeoutMs: number,
		readonly encryption: ObjectEncryption,
	) {}

	/** The object's text and ETag, or `undefined` when no such key exists. */
	async get(key: string, signal: AbortSignal | undefined): Promise<StoredObject | undefined> {
		try {
			// The body is read within the same deadline: a server can stall after the headers.
			return await this.#send(
				async (abortSignal) => {
					const output = await this.client.send(new GetObjectCommand({ Bucket: this.bucketName, Key: key }), {
						abortSignal,
					});
					return { body: (await output.Body?.transformToString("utf-8")) ?? "", etag: output.ETag ?? "" };
				},
				key,
				"read",
				signal,
				isNoSuchKey,
			);
		} catch (error) {
			if (isNoSuchKey(error)) return undefined;
			throw error;
		}
	}

	/** Whether the object exists (a HEAD, which transfers nothing). */
	async exists(key: string, signal: AbortSignal | undefined): Promise<boolean> {
		try {
			await this.#send(
				(abortSignal) =>
					this.client.send(new HeadObjectCommand({ Bucket: this.bucketName, Key: key }), { abortSignal }),
				key,
				"look up",
				signal,
				isNoSuchKey,
			);
			return true;
		} catch (error) {
			if (!isNoSuchKey(error)) throw error;
		}
		// A HEAD's 404 has no body, so it cannot tell a missing key from a missing bucket: ask.
		const action = "look up the bucket of";
		try {
			await this.#send(
				(abortSignal) =>
					this.client.send(new HeadBucketCommand({ Bucket: this.bucketName }), { abortSignal }),
				key,
				action,
				signal,
				isNoSuchKey,
			);
		} catch (error) {
			if (!isNoSuchKey(error)) throw error;
			throw missingBucketError(
				{ backendName: this.backendName, bucketName: this.bucketName, key },
				action,
				error,
			);
		}
		return false;
	}

	/** Writes `body` under `condition`: the new ETag, or `undefined` when the condition failed. */
	async put(
		key: string,
		body: string,
		condition: WriteCondition,
		signal: AbortSignal | undefined,
	): Promise<string | undefined> {
		const { serverSideEncryption, kmsKeyId } = this.encryption;
		const command = new PutObjectCommand({
			Bucket: this.bucketName,
			Key: key,
			Body: body,
			ContentType: "text/plain; charset=utf-8",
			...(serverSideEncryption === undefined ? {} : { ServerSideEncryption: serverSideEncryption }),
			...(kmsKeyId === undefined ? {} : { SSEKMSKeyId: kmsKeyId }),
			...(condition === undefined
				? {}
				: "ifMatch" in condition
					? { IfMatch: condition.ifMatch }
					: { IfNoneMatch: condition.ifNoneMatch }),
		});
		try {
			const output = await this.#send<PutObjectCommandOutput>(
				(abortSignal) => this.client.send(command, { abortSignal }),
				key,
				"write",
				signal,
				(error) => lostCondition(error, condition),
			);
			return output.ETag ?? "";
		} catch (error) {
			if (lostCondition(error, condition)) return undefined;
			throw error;
		}
	}

	/**
	 * Deletes the object; with `ifMatch`, only while it still has that ETag (S3 answers 412
	 * otherwise, ignored here: then it is someone else's). Deleting a missing key is not an error.
	 */
	async delete(key: string, ifMatch: string | undefined, signal: AbortSignal | undefined): Promise<void> {
		const command = new DeleteObjectCommand({
			Bucket: this.bucketName,
			Key: key,
			...(ifMatch === undefined ? {} : { IfMatch: ifMatch }),
		});
		try {
			await this.#send(
				(abortSignal) => this.client.send(command, { abortSignal }),
				key,
				"delete",
				signal,
				(error) => isNoSuchKey(error) || isConditionFailed(error),
			);
		} catch (error) {
			if (!isNoSuchKey(error) && !isConditionFailed(error)) throw error;
		}
	}

	#send<T>(
		send: (abortSignal: AbortSignal) => Promise<T>,
		key: string,
		action: string,
		signal: AbortSignal | undefined,
		expected?: (error: unknown) => boolean,
	): Promise<T> {
		return boundedSend<T>(send, {
			where: { backendName: this.backendName, bucketName: this.bucketName, key },
			action,
			timeoutMs: this.timeoutMs,
			signal,
			expected,
		});
	}
}

/**
 * Whether a conditional write lost. With `If-Match`, S3 answers 404 `NoSuchKey` when the object
 * is gone, which means the same: the version expected is no longer there.
 */
function lostCondition(error: unknown, condition: WriteCondition): boolean {
	if (condition === undefined) return false;
	return isConditionFailed(error) || ("ifMatch" in condition && isNoSuchKey(error));
}
