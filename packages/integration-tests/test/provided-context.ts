// What backend-prisma's and backend-s3's global setups (used here too) provide to the tests.
declare module "vitest" {
	export interface ProvidedContext {
		/** The PostgreSQL server to test against; each test creates its own database there. */
		postgresUrl: string;
		/** The S3 server (Ceph radosgw) from backend-s3's global setup, also used here. */
		s3Server: { endpoint: string; accessKeyId: string; secretAccessKey: string; kmsKeyId: string };
		/** The moto server (AWS Secrets Manager) that backend-aws-secrets's global setup provides. */
		motoEndpoint: string;
		/** The Redis server (backend-redis's global setup, used here too). */
		redisUrl: string;
	}
}

export {};
