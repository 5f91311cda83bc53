import type { BadConfiguration } from "@o365/backend-test-suite";
import { createClient } from "redis";
import { type RedisClient, RedisTokenBackend } from "../../src/index.js";
import { type ClientLibrary, redisUrl } from "./clients.js";

/** Configurations a user could plausibly get wrong, each refused with backend_invalid_config. */
export function badConfigurations(library: ClientLibrary, client: () => RedisClient): BadConfiguration[] {
	const common: BadConfiguration[] = [
		{ name: "an empty key", build: () => new RedisTokenBackend({ client: client(), key: "" }) },
		{
			name: "a key with braces (the backend adds the Cluster hash tag itself)",
			build: () => new RedisTokenBackend({ client: client(), key: "{user-1}" }),
		},
		{
			name: "a key prefix that is not a string",
			build: () => new RedisTokenBackend({ client: client(), keyPrefix: 42 as unknown as string }),
		},
		{ name: "a timeout of 0 ms", build: () => new RedisTokenBackend({ client: client(), timeoutMs: 0 }) },
		{
			name: "no client",
			build: () => new RedisTokenBackend({ client: undefined as unknown as RedisClient }),
		},
		{
			name: "the connection URL instead of a client",
			build: () => new RedisTokenBackend({ client: redisUrl() as unknown as RedisClient }),
		},
		{
			name: "an object that is not a Redis client",
			build: () => new RedisTokenBackend({ client: { get() {} } as unknown as RedisClient }),
		},
	];
	if (library === "ioredis") return common;
	return [
		...common,
		{
			// node-redis sends nothing before connect(); the backend says so at its first call.
			name: "a node-redis client never connected",
			build: () => new RedisTokenBackend({ client: createClient({ url: redisUrl() }) }),
		},
	];
}
