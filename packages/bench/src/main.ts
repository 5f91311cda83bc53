/**
 * pnpm bench: measures the built packages on this machine and prints a table, then, as the last
 * line, one JSON object with every figure. Ratios compare against baselines run in the same
 * process, so they hold across machines better than absolute times.
 */

import { cpus } from "node:os";
import { measureAuthCosts } from "./auth-costs.js";
import { measureAwsSecretsFleet } from "./aws-secrets-fleet.js";
import { measureFirestoreFleet, useFirestore } from "./firestore-fleet.js";
import { measureFleetS3 } from "./fleet-s3.js";
import { measureGraphOverhead } from "./graph-overhead.js";
import { measureImportCost } from "./import-cost.js";
import { round } from "./measure.js";
import { usePostgres } from "./postgres-server.js";
import { measureRedisFleet, measureRedisSaveRatio } from "./redis-costs.js";
import { useRedis } from "./redis-server.js";
import { useS3Server } from "./s3-server.js";
import { measureFleet, measureSaveRatio } from "./storage-costs.js";

const results: Record<string, number> = {};
const rows: Array<[string, string, string]> = [];
function record(key: string, value: number, unit: string, goal: string) {
	results[key] = round(value);
	rows.push([key, `${round(value)} ${unit}`, goal]);
}

const imports = await measureImportCost();
record("importCoreMs", imports.importCoreMs, "ms", "<= 25");
record("importEmptyModuleMs", imports.importEmptyMs, "ms", "(baseline)");

const graph = await measureGraphOverhead();
record("overheadRatioVsFetch", graph.ratioVsFetch, "x", "<= 1.05");
record("graphClientRatio", graph.ratioVsGraphClient, "x", "(ours / graph-client v3)");
record(
	"overheadRatioVsFetchSameHeaders",
	graph.ratioVsFetchSameHeaders,
	"x",
	"(ours / fetch sending our headers)",
);
record("getMeMs", graph.oursMs, "ms", "");
record("getMeFetchMs", graph.fetchMs, "ms", "(baseline)");

const auth = await measureAuthCosts();
record("firstSignInMs", auth.firstSignInMs, "ms", "");
record("signInMs", auth.signInMs, "ms", "");
record("bearerLookupNs", auth.bearerLookupNs, "ns", "<= 5000");
record("stormTokenRequests", auth.stormTokenRequests, "requests", "1");

const postgres = usePostgres();
try {
	const fleet = await measureFleet(postgres.url);
	record("fleetTokenRequestsPerExpiry", Math.max(fleet.fs, fleet.postgres), "per expiry", "1");
	record("fleetTokenRequestsPerExpiryFs", fleet.fs, "per expiry", "1");
	record("fleetTokenRequestsPerExpiryPostgres", fleet.postgres, "per expiry", "1");
	record("saveRatio10kUsers", await measureSaveRatio(postgres.url), "x", "<= 1.2");
} finally {
	postgres.stop();
}
record("fleetTokenRequestsPerExpiryAwsSecrets", await measureAwsSecretsFleet(), "per expiry", "1");

const s3 = useS3Server();
try {
	record("fleetTokenRequestsPerExpiryS3", await measureFleetS3(s3), "per expiry", "1");
} finally {
	s3.stop();
}

const firestore = useFirestore();
try {
	record(
		"fleetTokenRequestsPerExpiryFirestore",
		await measureFirestoreFleet(firestore.host),
		"per expiry",
		"1",
	);
} finally {
	firestore.stop();
}

const redis = useRedis();
try {
	record("fleetTokenRequestsPerExpiryRedis", await measureRedisFleet(redis.url), "per expiry", "1");
	record("redisSaveRatio10kUsers", await measureRedisSaveRatio(redis.url), "x", "<= 1.2");
} finally {
	redis.stop();
}

console.log(`o365 bench on ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}`);
const width = Math.max(...rows.map(([key]) => key.length));
for (const [key, value, goal] of rows) console.log(`${key.padEnd(width)}  ${value.padStart(16)}  ${goal}`);
console.log(JSON.stringify(results));
