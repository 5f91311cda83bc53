// What backend-prisma's global setup (used here too) provides to the tests.
declare module "vitest" {
	export interface ProvidedContext {
		/** The PostgreSQL server to test against; each test creates its own database there. */
		postgresUrl: string;
		/** The Redis server (backend-redis's global setup, used here too). */
		redisUrl: string;
	}
}

export {};
