import { createS3Store, runFleet } from "@o365/integration-tests";
import type { S3Server } from "./s3-server.js";

/** Token requests per access-token expiry for 8 processes sharing one S3 object (radosgw). */
export async function measureFleetS3(server: S3Server): Promise<number> {
	const store = await createS3Store(server);
	try {
		return (await runFleet({ store: store.config })).tokenRequestsPerExpiry;
	} finally {
		await store.drop();
	}
}
