/**
 * A FAKE of AWS Secrets Manager: a small local server of its JSON 1.1 protocol, run against the
 * real SDK. Only where moto 5.1.1 differs from AWS: a replayed ClientRequestToken is a no-op
 * (moto moves AWSPREVIOUS), the same token with another value is refused (moto overwrites), and
 * UpdateSecretVersionStage checks RemoveFromVersionId atomically (one request at a time here;
 * moto's threads check then change). It can also fail a response after applying the request,
 * as a lost response does, so the SDK retries it with the same token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

interface Version {
	value: string;
	stages: string[];
	created: number;
}

interface Secret {
	name: string;
	arn: string;
	description: string | undefined;
	kmsKeyId: string | undefined;
	versions: Map<string, Version>;
	deletedAt: number | undefined;
}

type Body = Record<string, unknown>;

class AwsError extends Error {
	constructor(
		readonly type: string,
		message: string,
	) {
		super(message);
	}
}

export interface FakeSecretsManager {
	endpoint: string;
	/** Requests answered, by operation (`GetSecretValue`…). */
	calls: Map<string, number>;
	/** The next `count` requests of `operation` are applied, then answered with HTTP 500. */
	loseResponses(operation: string, count?: number): void;
	/** Every request is refused with this AWS error (`AccessDeniedException`…) until called with undefined. */
	refuseAll(type: string | undefined): void;
	/** Stage labels by version of a secret, as DescribeSecret's VersionIdsToStages gives them. */
	stages(name: string): Record<string, string[]>;
	reset(): void;
	close(): Promise<void>;
}

export async function startFakeSecretsManager(): Promise<FakeSecretsManager> {
	const secrets = new Map<string, Secret>();
	const calls = new Map<string, number>();
	const lose = new Map<string, number>();
	let refusal: string | undefined;

	const find = (id: unknown): Secret => {
		const secret = [...secrets.values()].find((s) => s.name === id || s.arn === id);
		if (secret === undefined)
			throw new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
		return secret;
	};
	const live = (id: unknown): Secret => {
		const secret = find(id);
		if (secret.deletedAt !== undefined) {
			throw new AwsError(
				"InvalidRequestException",
				"You can't perform this operation on the secret because it was marked for deletion.",
			);
		}
		return secret;
	};
	/** Puts `stage` on `versionId` alone; moving AWSCURRENT puts AWSPREVIOUS on the version it left. */
	const label = (secret: Secret, stage: string, versionId: string) => {
		for (const [id, version] of secret.versions) {
			if (id !== versionId && version.stages.includes(stage)) {
				version.stages = version.stages.filter((s) => s !== stage);
				if (stage === "AWSCURRENT") label(secret, "AWSPREVIOUS", id);
			}
		}
		const version = secret.versions.get(versionId);
		if (version !== undefined && !version.stages.includes(stage)) version.stages.push(stage);
	};
	const addVersion = (secret: Secret, token: string, value: string, stages: string[]) => {
		const existing = secret.versions.get(token);
		if (existing !== undefined) {
			if (existing.value !== value) {
				throw new AwsError("ResourceExistsException", "A resource with the ID you requested already exists.");
			}
			return existing; // a replay: nothing changes
		}
		secret.versions.set(token, { value, stages: [], created: Date.now() });
		for (const stage of stages) label(secret, stage, token);
		return secret.versions.get(token) as Version;
	};
	const token = (body: Body) => {
		const t = body.ClientRequestToken;
		if (typeof t !== "string" || t.length < 32 || t.length > 64) {
			throw new AwsError("InvalidParameterException", "ClientRequestToken must be 32 to 64 characters.");
		}
		return t;
	};

	const operations: Record<string, (body: Body) => Body> = {
		CreateSecret(body) {
			const name = String(body.Name);
			const existing = secrets.get(name);
			if (existing?.deletedAt !== undefined) {
				throw new AwsError(
					"InvalidRequestException",
					"You can't create this secret because a secret with this name is already scheduled for deletion.",
				);
			}
			if (existing !== undefined) {
				const version = existing.versions.get(token(body));
				if (version?.value !== body.SecretString) {
					throw new AwsError(
						"ResourceExistsException",
						`The operation failed because the secret ${name} already exists.`,
					);
				}
				return { ARN: existing.arn, Name: name, VersionId: body.ClientRequestToken };
			}
			const secret: Secret = {
				name,
				arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`,
				description: body.Description as string | undefined,
				kmsKeyId: body.KmsKeyId as string | undefined,
				versions: new Map(),
				deletedAt: undefined,
			};
			addVersion(secret, token(body), String(body.SecretString), ["AWSCURRENT"]);
			secrets.set(name, secret);
			return { ARN: secret.arn, Name: name, VersionId: body.ClientRequestToken };
		},
		PutSecretValue(body) {
			const secret = live(body.SecretId);
			const stages = (body.VersionStages as string[] | undefined) ?? ["AWSCURRENT"];
			const id = token(body);
			const version = addVersion(secret, id, String(body.SecretString), stages);
			return { ARN: secret.arn, Name: secret.name, VersionId: id, VersionStages: version.stages };
		},
		GetSecretValue(body) {
			const secret = live(body.SecretId);
			const wanted = body.VersionId ?? undefined;
			const stage =
				(body.VersionStage as string | undefined) ?? (wanted === undefined ? "AWSCURRENT" : undefined);
			const entry = [...secret.versions].find(
				([id, v]) =>
					(wanted === undefined || id === wanted) && (stage === undefined || v.stages.includes(stage)),
			);
			if (entry === undefined) {
				throw new AwsError(
					"ResourceNotFoundException",
					"Secrets Manager can't find the specified secret value.",
				);
			}
			const [id, version] = entry;
			return {
				ARN: secret.arn,
				Name: secret.name,
				VersionId: id,
				SecretString: version.value,
				VersionStages: version.stages,
				CreatedDate: version.created / 1000,
			};
		},
		DescribeSecret(body) {
			const secret = find(body.SecretId);
			return {
				ARN: secret.arn,
				Name: secret.name,
				...(secret.description === undefined ? {} : { Description: secret.description }),
				...(secret.kmsKeyId === undefined ? {} : { KmsKeyId: secret.kmsKeyId }),
				...(secret.deletedAt === undefined ? {} : { DeletedDate: secret.deletedAt / 1000 }),
				VersionIdsToStages: Object.fromEntries([...secret.versions].map(([id, v]) => [id, [...v.stages]])),
			};
		},
		UpdateSecretVersionStage(body) {
			const secret = live(body.SecretId);
			const stage = String(body.VersionStage);
			const from = body.RemoveFromVersionId as string | undefined;
			const to = body.MoveToVersionId as string | undefined;
			const holder = [...secret.versions].find(([, v]) => v.stages.includes(stage))?.[0];
			if (to !== undefined && !secret.versions.has(to))
				throw new AwsError("InvalidParameterException", `Not a valid version: ${to}`);
			if (from === undefined ? holder !== undefined && holder !== to : holder !== from) {
				throw new AwsError(
					"InvalidParameterException",
					`The staging label ${stage} is attached to version ${holder ?? "(none)"}, not to RemoveFromVersionId.`,
				);
			}
			if (to !== undefined) label(secret, stage, to);
			else if (from !== undefined) {
				const version = secret.versions.get(from) as Version;
				version.stages = version.stages.filter((s) => s !== stage);
			}
			return { ARN: secret.arn, Name: secret.name };
		},
		DeleteSecret(body) {
			const secret = find(body.SecretId);
			if (body.ForceDeleteWithoutRecovery === true) {
				secrets.delete(secret.name);
				return { ARN: secret.arn, Name: secret.name, DeletionDate: Date.now() / 1000 };
			}
			if (secret.deletedAt !== undefined) {
				throw new AwsError(
					"InvalidRequestException",
					"You can't perform this operation on the secret because it was already scheduled for deletion.",
				);
			}
			secret.deletedAt = Date.now();
			const days = (body.RecoveryWindowInDays as number | undefined) ?? 30;
			return {
				ARN: secret.arn,
				Name: secret.name,
				DeletionDate: (secret.deletedAt + days * 86_400_000) / 1000,
			};
		},
		RestoreSecret(body) {
			const secret = find(body.SecretId);
			secret.deletedAt = undefined;
			return { ARN: secret.arn, Name: secret.name };
		},
	};

	const send = (res: ServerResponse, status: number, body: Body, errorType?: string) => {
		res.writeHead(status, {
			"content-type": "application/x-amz-json-1.1",
			...(errorType === undefined ? {} : { "x-amzn-errortype": errorType }),
		});
		res.end(JSON.stringify(body));
	};
	const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
		const target = String(req.headers["x-amz-target"] ?? "");
		const operation = target.replace(/^secretsmanager\./, "");
		calls.set(operation, (calls.get(operation) ?? 0) + 1);
		const run = operations[operation];
		if (run === undefined)
			return send(
				res,
				400,
				{ __type: "UnknownOperationException", message: `fake: no ${target}` },
				"UnknownOperationException",
			);
		if (refusal !== undefined)
			return send(
				res,
				400,
				{ __type: refusal, message: "User is not authorized to perform this action" },
				refusal,
			);
		try {
			const out = run(JSON.parse(raw || "{}") as Body);
			const lost = lose.get(operation) ?? 0;
			if (lost > 0) {
				lose.set(operation, lost - 1);
				return send(
					res,
					500,
					{ __type: "InternalServiceError", message: "fake: response lost" },
					"InternalServiceError",
				);
			}
			send(res, 200, out);
		} catch (error) {
			if (!(error instanceof AwsError)) throw error;
			send(res, 400, { __type: error.type, message: error.message }, error.type);
		}
	};
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on("data", (chunk: Buffer) => chunks.push(chunk));
		req.on("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")));
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return {
		endpoint: `http://127.0.0.1:${port}`,
		calls,
		loseResponses(operation, count = 1) {
			lose.set(operation, count);
		},
		refuseAll(type) {
			refusal = type;
		},
		stages(name) {
			const secret = secrets.get(name);
			return secret === undefined
				? {}
				: Object.fromEntries([...secret.versions].map(([id, v]) => [id, [...v.stages]]));
		},
		reset() {
			secrets.clear();
			calls.clear();
			lose.clear();
			refusal = undefined;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
