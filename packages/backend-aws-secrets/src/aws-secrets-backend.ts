import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import {
	BaseTokenBackend,
	type BaseTokenBackendOptions,
	ConfigurationError,
	type LeaseOptions,
	type StorageCallOptions,
	TokenBackendError,
	type TokenLease,
	type VersionedValue,
} from "@o365/core";
import { acquireSecretLease } from "./lease.js";
import { type Deadline, SecretsCalls, startDeadline } from "./secrets-calls.js";
import { VersionedSecret } from "./versioned-secret.js";

/** Secrets Manager's limit on a SecretString, in UTF-8 bytes. */
export const MAX_SECRET_BYTES = 65_536;

export interface AWSSecretsBackendOptions extends BaseTokenBackendOptions {
	/**
	 * The secret's name (python-o365's `secret_name`): 1–512 characters of letters, digits and
	 * `/_+=.@-`. It is created on the first save. A web app uses one secret per user or tenant.
	 */
	secretName: string;
	/**
	 * The AWS region of the secret (python-o365's `region_name`), e.g. `"eu-west-1"`. Without it
	 * (and without `client`) the SDK's default chain decides (`AWS_REGION`, the shared config…).
	 * Give `regionName` or `client`, not both.
	 * @default undefined
	 */
	regionName?: string;
	/**
	 * Your `SecretsManagerClient` (its region, credentials, endpoint and retry settings are
	 * used). Without it one is made from the default credential chain. The backend never
	 * destroys a client you pass.
	 * @default a new SecretsManagerClient({ region: regionName })
	 */
	client?: SecretsManagerClient;
	/**
	 * The description the secret is created with (the first save); later saves leave it alone.
	 * @default "Microsoft 365 token cache (@o365/backend-aws-secrets)"
	 */
	description?: string;
	/**
	 * The AWS KMS key (id, ARN or alias) the secret is created with (the first save). Without
	 * it Secrets Manager uses the account's `aws/secretsmanager` key.
	 * @default undefined
	 */
	kmsKeyId?: string;
	/**
	 * The longest any one storage call may take, in milliseconds, the SDK's own retries included:
	 * past it the call rejects with a `TokenBackendError` coded `backend_io`. A lease's wait is
	 * bounded by its own `waitMs`, and each of its looks by this.
	 * @default 30000
	 */
	timeoutMs?: number;
	/**
	 * Coordinates token refreshes between processes through a companion secret
	 * (`leaseSecretName`), so that a fleet refreshes once per expiry. It costs one more secret
	 * and a few calls per refresh (see the README); `false` turns it off (each process then
	 * refreshes on its own; saves still merge through compare-and-set).
	 * @default true
	 */
	lease?: boolean;
	/**
	 * The companion secret that holds the lease.
	 * @default `${secretName}.lease`
	 */
	leaseSecretName?: string;
	/**
	 * `deleteToken()` deletes the secret at once, without a recovery window
	 * (`ForceDeleteWithoutRecovery`). Without it the secret is scheduled for deletion after
	 * `recoveryWindowInDays` and can be restored meanwhile (the next save restores it).
	 * @default false
	 */
	forceDeleteWithoutRecovery?: boolean;
	/**
	 * The recovery window of `deleteToken()`, in days (7–30).
	 * @default undefined (Secrets Manager's default, 30 days)
	 */
	recoveryWindowInDays?: number;
}

const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const DEFAULT_DESCRIPTION = "Microsoft 365 token cache (@o365/backend-aws-secrets)";
const DEFAULT_TIMEOUT_MS = 30_000;
/** How many compare-and-set rounds a plain `write()` tries before it gives up. */
const MAX_WRITE_ATTEMPTS = 20;

/**
 * Keeps the token cache in one AWS Secrets Manager secret (python-o365's `AWSSecretsBackend`):
 * created on the first save, a new version on each later one. Every save is a compare-and-set
 * on the secret's AWSCURRENT version, so concurrent processes merge instead of overwriting each
 * other, and an expiring lease in a companion secret makes a fleet refresh once per expiry.
 */
export class AWSSecretsBackend extends BaseTokenBackend {
	readonly name = "aws-secrets";
	/** The secret holding the token cache. */
	readonly secretName: string;
	/** The companion secret holding the lease, or `undefined` when the lease is off. */
	readonly leaseSecretName: string | undefined;
	readonly #calls: SecretsCalls;
	readonly #secret: VersionedSecret;
	readonly #lease: VersionedSecret | undefined;
	readonly #timeoutMs: number;
	readonly #deleteOptions: { force: boolean; recoveryWindowInDays: number | undefined };
	readonly #kmsKeyId: string | undefined;
	/** The version `read()` last returned, so that `quarantine()` never moves a newer one. */
	#lastReadVersion: string | undefined;

	constructor(options: AWSSecretsBackendOptions) {
		super(options ?? {});
		const o = options ?? ({} as Partial<AWSSecretsBackendOptions>);
		checkName("secretName", o.secretName);
		if (
			o.regionName !== undefined &&
			(typeof o.regionName !== "string" || !/^[a-z]{2}(-[a-z0-9]+)+$/.test(o.regionName))
		) {
			throw invalid(
				`regionName must be an AWS region such as "eu-west-1"; got ${JSON.stringify(o.regionName)}.`,
			);
		}
		if (
			o.client !== undefined &&
			!(o.client instanceof SecretsManagerClient) &&
			typeof (o.client as { send?: unknown })?.send !== "function"
		) {
			throw invalid("client must be a SecretsManagerClient from @aws-sdk/client-secrets-manager.");
		}
		if (o.client !== undefined && o.regionName !== undefined) {
			throw invalid(
				"give regionName or client, not both: the client's own region is used (new SecretsManagerClient({ region })).",
			);
		}
		if (o.timeoutMs !== undefined && !(Number.isFinite(o.timeoutMs) && o.timeoutMs > 0)) {
			throw invalid(`timeoutMs must be a positive number of milliseconds; got ${String(o.timeoutMs)}.`);
		}
		const days = o.recoveryWindowInDays;
		if (days !== undefined && !(Number.isInteger(days) && days >= 7 && days <= 30)) {
			throw invalid(`recoveryWindowInDays must be a whole number of days from 7 to 30; got ${String(days)}.`);
		}
		if (days !== undefined && o.forceDeleteWithoutRecovery === true) {
			throw invalid("give recoveryWindowInDays or forceDeleteWithoutRecovery, not both.");
		}
		if (o.description !== undefined && (typeof o.description !== "string" || o.description.length > 2048)) {
			throw invalid("description must be a string of at most 2048 characters.");
		}
		if (o.kmsKeyId !== undefined && (typeof o.kmsKeyId !== "string" || o.kmsKeyId === "")) {
			throw invalid('kmsKeyId must be a KMS key id, ARN or alias (e.g. "alias/o365-tokens").');
		}
		const secretName = o.secretName as string;
		const leaseName = o.lease === false ? undefined : (o.leaseSecretName ?? `${secretName}.lease`);
		if (leaseName !== undefined) checkName("leaseSecretName", leaseName);
		if (leaseName === secretName) throw invalid("leaseSecretName must differ from secretName.");

		const client =
			o.client ?? new SecretsManagerClient(o.regionName === undefined ? {} : { region: o.regionName });
		this.#calls = new SecretsCalls(client, { backend: this.name, secretName, region: o.regionName });
		const create = { description: o.description ?? DEFAULT_DESCRIPTION, kmsKeyId: o.kmsKeyId };
		this.#secret = new VersionedSecret(this.#calls, secretName, create);
		this.#lease =
			leaseName === undefined
				? undefined
				: new VersionedSecret(this.#calls, leaseName, {
						description: `Token refresh lease of secret ${secretName} (@o365/backend-aws-secrets)`,
						kmsKeyId: o.kmsKeyId,
					});
		this.secretName = secretName;
		this.leaseSecretName = leaseName;
		this.#timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		this.#deleteOptions = { force: o.forceDeleteWithoutRecovery === true, recoveryWindowInDays: days };
		this.#kmsKeyId = o.kmsKeyId;
		if (this.#lease === undefined) {
			// No lease: the capability is absent, so core refreshes without one.
			Object.defineProperty(this, "acquireLease", { value: undefined });
		}
	}

	async read(options: StorageCallOptions = {}): Promise<string | undefined> {
		return (await this.readVersioned(options))?.value;
	}

	/**
	 * Replaces the value whatever its version: a compare-and-set over the version read just
	 * before, tried again until it lands (CreateSecret on the first save). Never a plain
	 * PutSecretValue: every AWSCURRENT move goes through UpdateSecretVersionStage, so the
	 * version a compare-and-set expects is always the one that was moved.
	 */
	async write(value: string, options: StorageCallOptions = {}): Promise<void> {
		const deadline = this.#start(value, options);
		const what = "save the token";
		for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
			const state = await this.#secret.read(what, deadline);
			if (state.kind === "missing") {
				if ((await this.#secret.create(value, what, deadline)) !== undefined) return;
			} else if (state.kind === "deleted") {
				// Scheduled for deletion (deleteToken): bring it back, then write over it.
				await this.#secret.restore(what, deadline);
			} else if ((await this.#secret.replaceIf(value, state.versionId, what, deadline)) !== undefined) {
				return;
			}
		}
		throw new TokenBackendError(
			this.name,
			"backend_conflict",
			`could not save the token: secret "${this.secretName}" changed (or could not be created) under each of ${MAX_WRITE_ATTEMPTS} attempts; too many processes write at once. Call it again.`,
		);
	}

	/**
	 * Deletes the secret: scheduled for deletion after the recovery window (restorable meanwhile,
	 * and restored by the next save), or at once with `forceDeleteWithoutRecovery`.
	 */
	async remove(options: StorageCallOptions = {}): Promise<boolean> {
		return this.#secret.delete(
			this.#deleteOptions,
			"delete the stored token",
			this.#start(undefined, options),
		);
	}

	async exists(options: StorageCallOptions = {}): Promise<boolean> {
		return this.#secret.exists("check for a stored token", this.#start(undefined, options));
	}

	/** The value and its version: one GetSecretValue of AWSCURRENT (its VersionId is the version). */
	override async readVersioned(options: StorageCallOptions = {}): Promise<VersionedValue | undefined> {
		const state = await this.#secret.read("read the stored token", this.#start(undefined, options));
		if (state.kind !== "current") return undefined;
		this.#lastReadVersion = state.versionId;
		return { value: state.value, version: state.versionId };
	}

	/**
	 * Writes only over `expectedVersion`: a new version under a pending label, then
	 * UpdateSecretVersionStage moves AWSCURRENT to it from `expectedVersion`, which Secrets
	 * Manager refuses when AWSCURRENT has moved. With `null`: CreateSecret (refused when the
	 * secret exists), or, for a secret awaiting deletion, RestoreSecret then the same move from
	 * the version it had.
	 */
	override async writeIfVersion(
		value: string,
		expectedVersion: string | null,
		options: StorageCallOptions = {},
	): Promise<string | undefined> {
		const deadline = this.#start(value, options);
		const what = "save the token";
		if (expectedVersion !== null) return this.#secret.replaceIf(value, expectedVersion, what, deadline);
		const created = await this.#secret.create(value, what, deadline);
		if (created !== undefined) return created;
		const state = await this.#secret.read(what, deadline);
		if (state.kind !== "deleted") return undefined; // something is stored (or it vanished: try again)
		await this.#secret.restore(what, deadline);
		const restored = await this.#secret.read(what, deadline);
		return restored.kind === "current"
			? this.#secret.replaceIf(value, restored.versionId, what, deadline)
			: undefined;
	}

	override acquireLease(options: LeaseOptions): Promise<TokenLease> {
		const secret = this.#lease as VersionedSecret;
		return acquireSecretLease({ secret, backendName: this.name, timeoutMs: this.#timeoutMs }, options);
	}

	/**
	 * Moves an unreadable value aside: copies it into a new secret `<secretName>.corrupt-<UTC
	 * time>`, then schedules the token secret for deletion (the next save restores it), only if
	 * AWSCURRENT is still the version last read. Resolves the new secret's name, or `undefined`
	 * when another process saved meanwhile (nothing moved).
	 */
	override async quarantine(options: StorageCallOptions = {}): Promise<string | undefined> {
		const deadline = this.#start(undefined, options);
		const what = "move the unreadable token aside";
		const state = await this.#secret.read(what, deadline);
		if (state.kind !== "current") return undefined;
		if (this.#lastReadVersion !== undefined && state.versionId !== this.#lastReadVersion) return undefined;
		const stamp = new Date().toISOString().replaceAll(":", "");
		const suffix = `.corrupt-${stamp}`;
		const asideName = `${this.secretName.slice(0, 512 - suffix.length)}${suffix}`;
		const aside = new VersionedSecret(this.#calls, asideName, {
			description: `Unreadable token cache moved aside from secret ${this.secretName} (@o365/backend-aws-secrets); inspect, then delete`,
			kmsKeyId: this.#kmsKeyId,
		});
		if ((await aside.create(state.value, what, deadline)) === undefined) return undefined;
		// Not atomic with the copy: a save landing between this check and the delete is
		// deleted too (recoverably: the next save restores the secret).
		if ((await this.#secret.currentVersionId(what, deadline)) !== state.versionId) {
			await aside.delete({ force: true, recoveryWindowInDays: undefined }, what, deadline); // saved meanwhile
			return undefined;
		}
		await this.#secret.delete({ force: false, recoveryWindowInDays: undefined }, what, deadline);
		return `aws-secrets:${this.#calls.target.region ?? "default-region"}/${asideName}`;
	}

	/** Where the token is kept, for logs: `aws-secrets:<region>/<secretName>`. */
	override toString(): string {
		return `aws-secrets:${this.#calls.target.region ?? "default-region"}/${this.secretName}`;
	}

	/** Checks the size limit and starts the operation's deadline. */
	#start(value: string | undefined, options: StorageCallOptions): Deadline {
		if (value !== undefined && Buffer.byteLength(value) > MAX_SECRET_BYTES) {
			throw new TokenBackendError(
				this.name,
				"backend_io",
				`the token cache is ${Buffer.byteLength(value)} bytes, more than the ${MAX_SECRET_BYTES} bytes a Secrets Manager secret holds; keep one secret per user (secretName) so each cache stays small.`,
			);
		}
		return startDeadline(this.#timeoutMs, options.signal);
	}
}

function checkName(option: string, name: unknown): void {
	if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
		throw invalid(
			`${option} must be a secret name of 1–512 letters, digits and /_+=.@- (e.g. "o365/tokens/default"), not an ARN; got ${typeof name === "string" ? JSON.stringify(name.slice(0, 80)) : String(name)}.`,
		);
	}
}

function invalid(message: string): ConfigurationError {
	return new ConfigurationError("backend_invalid_config", `[o365:aws-secrets] ${message}`);
}
