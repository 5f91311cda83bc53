import { ConfigurationError } from "@o365/core";

/** The Redis keys of one token location. */
export interface RedisKeys {
	/** The token itself, a string: `<keyPrefix>{<key>}`. */
	value: string;
	/** The lease: `<keyPrefix>{<key>}:lease`. */
	lease: string;
}

/**
 * The keys of the token location `key` under `keyPrefix`. The braces are a Redis Cluster hash
 * tag: the cluster hashes only `key`, so the token, its lease and its quarantined copies share
 * one hash slot (a script or RENAME across slots is refused), while different keys spread out.
 */
export function redisKeys(keyPrefix: unknown, key: unknown): RedisKeys {
	if (typeof key !== "string" || key === "") {
		throw invalid(
			'`key` must be a non-empty string naming the token location, e.g. "default", a tenant id or the user\'s home account id.',
		);
	}
	if (typeof keyPrefix !== "string") {
		throw invalid('`keyPrefix` must be a string, e.g. "o365:token:" (the default) or "myapp:o365:".');
	}
	for (const [name, text] of [
		["key", key],
		["keyPrefix", keyPrefix],
	] as const) {
		if (/[{}]/.test(text)) {
			throw invalid(
				`\`${name}\` must not contain "{" or "}": the backend puts the key in braces itself, as a Redis Cluster hash tag (got ${JSON.stringify(text)}).`,
			);
		}
	}
	const value = `${keyPrefix}{${key}}`;
	return { value, lease: `${value}:lease` };
}

function invalid(message: string): ConfigurationError {
	return new ConfigurationError("backend_invalid_config", `[o365:redis] ${message}`);
}
