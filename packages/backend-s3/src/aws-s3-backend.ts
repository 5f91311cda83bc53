import { S3Client, type ServerSideEncryption } from "@aws-sdk/client-s3";
import {
	BaseTokenBackend,
	type BaseTokenBackendOptions,
	type LeaseOptions,
	type StorageCallOptions,
	type TokenLease,
	type VersionedValue,
} from "@o365/core";
import { DEFAULT_TIMEOUT_MS } from "./bounded-send.js";
import { acquireS3Lease } from "./s3-lease.js";
import { S3Objects } from "./s3-objects.js";
import { checkS3Options } from "./s3-options.js";

export interface AWSS3BackendOptions extends BaseTokenBackendOptions {
	/** The bucket that holds the token (python-o365's `bucket_name`). It must exist: it is never created. */
	bucketName: string;
	/**
	 * The token object's key (python-o365's `filename`), e.g. `"o365_token.txt"` or
	 * `"tokens/app.txt"`. The lease is kept next to it as `<filename>.lease`, and an unreadable
	 * token is moved to `<filename>.corrupt-<UTC time>`.
	 */
	filename: string;
	/**
	 * Your `S3Client` (from `@aws-sdk/client-s3`), with the region, credentials, endpoint and
	 * retry settings you want. Without it, one is made from the default credential chain and
	 * region (`AWS_REGION`, shared config, instance or task role), as `boto3.client("s3")` does.
	 * @default new S3Client({})
	 */
	client?: S3Client;
	/**
	 * Server-side encryption for the objects written: `"AES256"` (SSE-S3) or `"aws:kms"` (SSE-KMS;
	 * with `kmsKeyId`, that key, otherwise the account's `aws/s3` key). Passed through as
	 * `ServerSideEncryption`.
	 * @default undefined (the bucket's default encryption)
	 */
	serverSideEncryption?: ServerSideEncryption;
	/** The KMS key (id, ARN or alias) for SSE-KMS; implies `serverSideEncryption: "aws:kms"`. @default undefined */
	kmsKeyId?: string;
	/**
	 * The longest each request to S3 may take, retries included, in milliseconds. An unreachable
	 * or silent S3 then fails with a `backend_io` error within it instead of a wait of minutes.
	 * @default 30000 (30 s)
	 */
	timeoutMs?: number;
}

/**
 * python-o365's `AWSS3Backend`: keeps the token cache in one S3 object, `text/plain`, private
 * (no ACL is sent). Unlike python-o365, every save is a compare-and-set on the object's ETag
 * (`If-Match` to replace, `If-None-Match: *` to create), so two processes that save at once merge
 * instead of overwriting each other; a lease object next to the token makes processes refresh
 * once per expiry between them; and only "no such key" reads as "nothing stored": a missing
 * bucket, denied access or a wrong region is a typed error that names the bucket.
 *
 * The constructor makes no request. Each call is bounded by `timeoutMs` and the caller's signal.
 */
export class AWSS3Backend extends BaseTokenBackend {
	readonly name = "s3";
	readonly bucketName: string;
	readonly filename: string;
	readonly #objects: S3Objects;
	/** The ETag of the value `read()` last returned, so that `quarantine()` never moves a newer one. */
	#lastReadEtag: string | undefined;

	constructor(options: AWSS3BackendOptions) {
		super(options ?? {});
		const checked = checkS3Options(options);
		this.bucketName = checked.bucketName;
		this.filename = checked.filename;
		this.#objects = new S3Objects(
			checked.client ?? new S3Client({}),
			checked.bucketName,
			this.name,
			checked.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			{ serverSideEncryption: checked.serverSideEncryption, kmsKeyId: checked.kmsKeyId },
		);
	}

	async read(options: StorageCallOptions = {}): Promise<string | undefined> {
		return (await this.readVersioned(options))?.value;
	}

	/** The object's text and its ETag, as S3 returned it; `undefined` on "no such key" only. */
	override async readVersioned(options: StorageCallOptions = {}): Promise<VersionedValue | undefined> {
		this.#lastReadEtag = undefined;
		const object = await this.#objects.get(this.filename, options.signal);
		if (object === undefined) return undefined;
		this.#lastReadEtag = object.etag;
		return { value: object.body, version: object.etag };
	}

	/** Replaces the object whatever its ETag (one PutObject: readers see the old or the new value). */
	async write(value: string, options: StorageCallOptions = {}): Promise<void> {
		await this.#objects.put(this.filename, value, undefined, options.signal);
	}

	/** `If-Match: <expectedVersion>` to replace, `If-None-Match: *` to create; S3 makes either atomic. */
	override writeIfVersion(
		value: string,
		expectedVersion: string | null,
		options: StorageCallOptions = {},
	): Promise<string | undefined> {
		const condition = expectedVersion === null ? { ifNoneMatch: "*" as const } : { ifMatch: expectedVersion };
		return this.#objects.put(this.filename, value, condition, options.signal);
	}

	async remove(options: StorageCallOptions = {}): Promise<boolean> {
		// S3's DeleteObject answers the same whether or not the key existed: look first.
		if (!(await this.#objects.exists(this.filename, options.signal))) return false;
		await this.#objects.delete(this.filename, undefined, options.signal);
		return true;
	}

	exists(options: StorageCallOptions = {}): Promise<boolean> {
		return this.#objects.exists(this.filename, options.signal);
	}

	/**
	 * The lease `<filename>.lease`: a small JSON object with its holder's id and expiry. See
	 * `s3-lease.ts` and the README ("The lease").
	 */
	override acquireLease(options: LeaseOptions): Promise<TokenLease> {
		return acquireS3Lease(this.#objects, `${this.filename}.lease`, options);
	}

	/**
	 * Moves an unreadable token aside, so the next sign-in starts clean and the evidence is kept:
	 * its bytes go to a new object `<filename>.corrupt-<UTC time>` (`If-None-Match: *`), then the
	 * token is deleted with `If-Match` on the ETag read. Resolves `undefined`, moving nothing, when
	 * the token changed since `read()` (another process saved meanwhile).
	 */
	override async quarantine(options: StorageCallOptions = {}): Promise<string | undefined> {
		const current = await this.#objects.get(this.filename, options.signal);
		if (current === undefined) return undefined;
		if (this.#lastReadEtag !== undefined && current.etag !== this.#lastReadEtag) return undefined;
		const stamp = new Date().toISOString().replaceAll(":", "");
		let aside = `${this.filename}.corrupt-${stamp}`;
		// Never over an earlier quarantined token (two in one millisecond).
		for (
			let n = 2;
			(await this.#objects.put(aside, current.body, { ifNoneMatch: "*" }, options.signal)) === undefined;
			n++
		) {
			aside = `${this.filename}.corrupt-${stamp}-${n}`;
		}
		// S3 deletes only while the ETag is still the one read. Ceph RGW 16 ignores If-Match on
		// DELETE: there, a save landing between the read above and this delete would be removed.
		await this.#objects.delete(this.filename, current.etag, options.signal);
		this.#lastReadEtag = undefined;
		return `s3://${this.bucketName}/${aside}`;
	}

	/** Where the token is kept, for logs: `s3://<bucket>/<filename>`. */
	override toString(): string {
		return `s3://${this.bucketName}/${this.filename}`;
	}
}
