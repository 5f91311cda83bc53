import { randomUUID } from "node:crypto";
import {
	CreateSecretCommand,
	DeleteSecretCommand,
	DescribeSecretCommand,
	GetSecretValueCommand,
	PutSecretValueCommand,
	RestoreSecretCommand,
	UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { TokenBackendError } from "@o365/core";
import type { Deadline, SecretsCalls } from "./secrets-calls.js";

/** The label a new version waits under until it is made AWSCURRENT (or loses the race). */
const PENDING_STAGE = "O365PENDING";

/** What a secret holds now: its AWSCURRENT version, or why there is none. */
export type SecretState =
	| { kind: "current"; value: string; versionId: string }
	| { kind: "missing" }
	/** Scheduled for deletion (DeleteSecret with a recovery window): nothing readable until restored. */
	| { kind: "deleted" };

export interface CreateSettings {
	description: string;
	kmsKeyId: string | undefined;
}

const MISSING: SecretState = { kind: "missing" };
const DELETED: SecretState = { kind: "deleted" };

/**
 * One secret seen as a versioned value: every write is a new version whose id is its
 * ClientRequestToken (so the SDK's retries of it are idempotent), and a conditional write is
 * two steps: PutSecretValue under {@link PENDING_STAGE}, then UpdateSecretVersionStage moving
 * AWSCURRENT to it with `RemoveFromVersionId` set to the version read, which Secrets Manager
 * refuses when AWSCURRENT is no longer there.
 */
export class VersionedSecret {
	readonly #calls: SecretsCalls;
	readonly name: string;
	readonly #create: CreateSettings;

	constructor(calls: SecretsCalls, name: string, create: CreateSettings) {
		this.#calls = calls;
		this.name = name;
		this.#create = create;
	}

	async read(what: string, deadline: Deadline): Promise<SecretState> {
		const out = await this.#calls.send(
			what,
			deadline,
			(abortSignal) =>
				this.#calls.client.send(
					new GetSecretValueCommand({ SecretId: this.name, VersionStage: "AWSCURRENT" }),
					{ abortSignal },
				),
			{ ResourceNotFoundException: () => MISSING, InvalidRequestException: () => DELETED },
		);
		if ("kind" in out) return out;
		if (typeof out.SecretString !== "string" || out.VersionId === undefined) {
			// A binary secret, or one made by other tools: not ours to read as text.
			throw new TokenBackendError(
				this.#calls.target.backend,
				"backend_invalid_config",
				`secret "${this.name}" holds no SecretString (a binary secret, made by another tool?); give this backend a secret of its own (secretName).`,
			);
		}
		return { kind: "current", value: out.SecretString, versionId: out.VersionId };
	}

	/** Whether the secret exists and is not scheduled for deletion (no value is transferred). */
	async exists(what: string, deadline: Deadline): Promise<boolean> {
		const out = await this.#calls.send(
			what,
			deadline,
			(abortSignal) =>
				this.#calls.client.send(new DescribeSecretCommand({ SecretId: this.name }), { abortSignal }),
			{ ResourceNotFoundException: () => undefined },
		);
		return out !== undefined && out.DeletedDate === undefined;
	}

	/** Creates the secret holding `value`; `undefined` when it exists (or awaits deletion) already. */
	async create(value: string, what: string, deadline: Deadline): Promise<string | undefined> {
		const token = randomUUID();
		const out = await this.#calls.send(
			what,
			deadline,
			(abortSignal) =>
				this.#calls.client.send(
					new CreateSecretCommand({
						Name: this.name,
						SecretString: value,
						ClientRequestToken: token,
						Description: this.#create.description,
						...(this.#create.kmsKeyId === undefined ? {} : { KmsKeyId: this.#create.kmsKeyId }),
					}),
					{ abortSignal },
				),
			{ ResourceExistsException: () => undefined, InvalidRequestException: () => undefined },
		);
		return out === undefined ? undefined : (out.VersionId ?? token);
	}

	/**
	 * Writes `value` as the new AWSCURRENT only if AWSCURRENT is still `expectedVersionId`; the new
	 * version id, or `undefined` (nothing became current) when it moved, or the secret is gone.
	 */
	async replaceIf(
		value: string,
		expectedVersionId: string,
		what: string,
		deadline: Deadline,
	): Promise<string | undefined> {
		const token = randomUUID();
		const gone = () => undefined;
		const put = await this.#calls.send(
			what,
			deadline,
			(abortSignal) =>
				this.#calls.client.send(
					new PutSecretValueCommand({
						SecretId: this.name,
						SecretString: value,
						ClientRequestToken: token,
						VersionStages: [PENDING_STAGE],
					}),
					{ abortSignal },
				),
			{ ResourceNotFoundException: gone, InvalidRequestException: gone },
		);
		if (put === undefined) return undefined;
		const versionId = put.VersionId ?? token;
		const moved = await this.#calls.send(
			what,
			deadline,
			(abortSignal) =>
				this.#calls.client.send(
					new UpdateSecretVersionStageCommand({
						SecretId: this.name,
						VersionStage: "AWSCURRENT",
						MoveToVersionId: versionId,
						RemoveFromVersionId: expectedVersionId,
					}),
					{ abortSignal },
				),
			{
				ResourceNotFoundException: gone,
				InvalidRequestException: gone,
				InvalidParameterException: () => false,
			},
		);
		if (moved === undefined) return undefined;
		if (moved === false) {
			// AWSCURRENT is not on the expected version: another writer moved it, or this very
			// request moved it and the SDK retried it after a lost response. Only the latter is ours.
			return (await this.currentVersionId(what, deadline)) === versionId ? versionId : undefined;
		}
		return versionId;
	}

	/** The version AWSCURRENT is on, without transferring the value. */
	async currentVersionId(what: string, deadline: Deadline): Promise<string | undefined> {
		const out = await this.#calls.send(
			what,
			deadline,
			(abortSignal) =>
				this.#calls.client.send(new DescribeSecretCommand({ SecretId: this.name }), { abortSignal }),
			{ ResourceNotFoundException: () => undefined },
		);
		const stages = Object.entries(out?.VersionIdsToStages ?? {});
		return stages.find(([, labels]) => labels.includes("AWSCURRENT"))?.[0];
	}

	/** Cancels a scheduled deletion; the secret's AWSCURRENT version is readable again. */
	async restore(what: string, deadline: Deadline): Promise<void> {
		await this.#calls.send(
			what,
			deadline,
			(abortSignal) =>
				this.#calls.client.send(new RestoreSecretCommand({ SecretId: this.name }), { abortSignal }),
			{ ResourceNotFoundException: () => undefined },
		);
	}

	/**
	 * Deletes the secret: scheduled, with a recovery window (`recoveryWindowInDays`, AWS's default
	 * 30 when undefined), unless `force`. `false` when there was nothing to delete.
	 */
	async delete(
		options: { force: boolean; recoveryWindowInDays: number | undefined },
		what: string,
		deadline: Deadline,
	): Promise<boolean> {
		if (!(await this.exists(what, deadline))) {
			if (options.force) await this.#delete(options, what, deadline); // purges one awaiting deletion
			return false;
		}
		return this.#delete(options, what, deadline);
	}

	async #delete(
		options: { force: boolean; recoveryWindowInDays: number | undefined },
		what: string,
		deadline: Deadline,
	): Promise<boolean> {
		const out = await this.#calls.send(
			what,
			deadline,
			(abortSignal) =>
				this.#calls.client.send(
					new DeleteSecretCommand({
						SecretId: this.name,
						...(options.force
							? { ForceDeleteWithoutRecovery: true }
							: options.recoveryWindowInDays === undefined
								? {}
								: { RecoveryWindowInDays: options.recoveryWindowInDays }),
					}),
					{ abortSignal },
				),
			{ ResourceNotFoundException: () => undefined, InvalidRequestException: () => undefined },
		);
		return out !== undefined;
	}
}
