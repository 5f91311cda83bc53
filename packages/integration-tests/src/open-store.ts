import { FileSystemTokenBackend } from "@o365/backend-fs";
import { PrismaTokenBackend } from "@o365/backend-prisma";
import type { TokenBackend } from "@o365/core";
import type { StoreConfig } from "./fleet-config.js";
import { postgresClient, sqliteClient } from "./prisma-clients.js";
import { openRedisStore } from "./redis-store.js";

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
		case "redis":
			return openRedisStore(config);
	}
}
