/**
 * Tokens in Redis (@o365/backend-redis), with an ioredis client:
 *
 *   eval "$(.ci/redis start)"                            # a throwaway local redis-server
 *   pnpm --filter @o365/example-backend-redis start      # against the test kit (offline)
 *
 * O365_TEST_REDIS_URL names the server (redis://host:port). The first run signs in and stores the
 * token at `o365-example:token:{default}`; the next runs sign in silently from it. With
 * O365_CLIENT_ID set, the user signs in to the real Microsoft identity platform (see
 * @o365/example-console-login).
 */

import { RedisTokenBackend } from "@o365/backend-redis";
import { requireEnv, runMain, showUserWithBackend, startDemo } from "@o365/example-support";
import { Redis } from "ioredis";

runMain(async () => {
	const url = requireEnv(
		process.env,
		"O365_TEST_REDIS_URL",
		'start a local Redis with `eval "$(.ci/redis start)"`, or set it to your server, e.g. redis://127.0.0.1:6379.',
	);
	const demo = await startDemo();
	const client = new Redis(url, { lazyConnect: true });
	try {
		await client.connect();
		const tokenBackend = new RedisTokenBackend({ client, keyPrefix: "o365-example:token:" });
		await showUserWithBackend(demo, tokenBackend, `Redis at ${url}, key o365-example:token:{default}`);
	} finally {
		client.disconnect();
		await demo.close();
	}
});
