import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AWSSecretsBackend } from "@o365/backend-aws-secrets";
import { FileSystemTokenBackend } from "@o365/backend-fs";
import { PrismaTokenBackend } from "@o365/backend-prisma";
import { AWSS3Backend } from "@o365/backend-s3";
import type { TokenBackend } from "@o365/core";
import { firestoreStore } from "./firestore-store.js";
import type { StoreConfig } from "./fleet-config.js";
import { postgresClient, sqliteClient } from "./prisma-clients.js";
import { openRedisStore } from "./redis-store.js";
import { testS3Client } from "./s3-store.js";

/** Opens the shared store a fleet uses; each process opens its own handle. */
export async function openStore(
	config: StoreConfig,
): Promise<{ backend: TokenBackend; close(): Promise<void> }> {
	switch (config.kind) {
		case "fs":
			return { backend: new FileSystemTokenBackend({ tokenPath: config.tokenPath }), close: async () => {} };
		case "prisma-sqlite": {
			const prisma = sqliteClient(config.file);
			return {
				backend: new PrismaTokenBackend({ prisma, key: config.key }),
				close: () => prisma.$disconnect(),
			};
		}
		case "prisma-postgres": {
			const prisma = postgresClient(config.url);
			return {
				backend: new PrismaTokenBackend({ prisma, key: config.key }),
				close: () => prisma.$disconnect(),
			};
		}
		case "s3": {
			const client = testS3Client(config);
			const backend = new AWSS3Backend({ bucketName: config.bucketName, filename: config.filename, client });
			return { backend, close: async () => client.destroy() };
		}
		case "aws-secrets": {
			// A local Secrets Manager server (moto), with throwaway credentials.
			const client = new SecretsManagerClient({
				endpoint: config.endpoint,
				region: "us-east-1",
				credentials: { accessKeyId: "test", secretAccessKey: "test" },
			});
			return {
				backend: new AWSSecretsBackend({ secretName: config.secretName, client }),
				close: async () => client.destroy(),
			};
		}
		case "firestore":
			return firestoreStore(config);
		case "redis":
			return openRedisStore(config);
	}
}
