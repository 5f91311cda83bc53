import { defineProject } from "vitest/config";

export default defineProject({
	resolve: { conditions: ["@o365/source"] },
	ssr: { resolve: { conditions: ["@o365/source"] } },
	test: {
		setupFiles: ["./test/setup.ts"],
		// Generates the Prisma clients and provides a PostgreSQL server (O365_TEST_POSTGRES_URL, or
		// a throwaway one from .ci/postgres), exactly as for @o365/backend-prisma's own tests; and
		// likewise Ceph radosgw (O365_TEST_S3_ENDPOINT, .ci/radosgw), moto (O365_TEST_MOTO_ENDPOINT,
		// .ci/moto), the Cloud Firestore emulator (O365_TEST_FIRESTORE_HOST, .ci/firestore) and
		// Redis (O365_TEST_REDIS_URL, .ci/redis).
		globalSetup: [
			"../backend-prisma/test/global-setup.ts",
			"../backend-s3/test/global-setup.ts",
			"../backend-aws-secrets/test/global-setup.ts",
			"../backend-firestore/test/global-setup.ts",
			"../backend-redis/test/global-setup.ts",
		],
		testTimeout: 180_000,
		// The fleet tests start 8 processes each; running files side by side would measure contention.
		fileParallelism: false,
	},
});
