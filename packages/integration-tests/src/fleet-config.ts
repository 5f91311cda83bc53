import type { S3StoreConfig } from "./s3-store.js";

/** What a fleet child needs to know, passed as JSON on its command line. */
export interface FleetChildConfig {
	store: StoreConfig;
	account: {
		clientId: string;
		clientSecret: string;
		tenantId: string;
		redirectUri: string;
		msal: { authority: string; knownAuthorities: string[]; authorityMetadata: string };
	};
	/** How long the child keeps calling getAccessToken(), in milliseconds. */
	durationMs: number;
	/** Pause between two calls, in milliseconds (a busy app, not a tight loop). */
	pauseMs: number;
}

/** The shared token store, by kind. */
export type StoreConfig =
	| { kind: "fs"; tokenPath: string }
	| { kind: "prisma-sqlite"; file: string; key: string }
	| { kind: "prisma-postgres"; url: string; key: string }
	| S3StoreConfig
	| { kind: "aws-secrets"; endpoint: string; secretName: string }
	| { kind: "firestore"; host: string; projectId: string; docId: string }
	| { kind: "redis"; url: string; key: string; client: "ioredis" | "node-redis" };

/** What a child prints as its last line. */
export interface FleetChildReport {
	pid: number;
	calls: number;
	errors: string[];
	lastToken: string | undefined;
}
