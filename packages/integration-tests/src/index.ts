export { createPostgresStore, createSqliteStore } from "./databases.js";
export type { FleetChildConfig, FleetChildReport, StoreConfig } from "./fleet-config.js";
export { openStore } from "./open-store.js";
export { postgresClient, sqliteClient } from "./prisma-clients.js";
export { type FleetOptions, type FleetResult, runFleet } from "./run-fleet.js";
export { createS3Store, type S3StoreConfig } from "./s3-store.js";
