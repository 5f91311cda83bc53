// A throwaway redis-server (.ci/redis), unless O365_TEST_REDIS_URL names one.
import { ciServerSetup } from "@o365/example-support/ci-server";

export default ciServerSetup("redis", ["O365_TEST_REDIS_URL"]);
