import { createHash } from "node:crypto";
import {
	BaseTokenBackend,
	type BaseTokenBackendOptions,
	ConfigurationError,
	type LeaseOptions,
	type StorageCallOptions,
	type TokenLease,
	type VersionedValue,
} from "@o365/core";
import { type CommandContext, sendBounded } from "./bounded-command.js";
import { acquireRedisLease } from "./lease.js";
import { redisCommandsOf } from "./redis-commands.js";
import { type RedisKeys, redisKeys } from "./redis-keys.js";
import { QUARANTINE, WRITE_IF_VERSION } from "./scripts.js";

/** A version: the SHA-1 of the stored value, as Redis's `redis.sha1hex` gives it. */
const VERSION = /^[0-9a-f]{40}$/;

/**
 * A Redis client from either library, recognised by its shape: an ioredis `Redis` or `Cluster`
 * (`call()` and `status`), or a node-redis client from `createClient` or `createCluster`
 * (`sendCommand()` and `isOpen`).
 */
export type RedisClient =
	| { call(...args: never[]): unknown; status: string }
	| { sendCommand(...args: never[]): unknown; isOpen: boolean };

export interface RedisTokenBackendOptions extends BaseTokenBackendOptions {
	/**
	 * Your Redis client: `new Redis(url)` from `ioredis`, or `createClient({ url })` from `redis`
	 * (node-redis), connected before the backend's first call (`await client.connect()`; ioredis
	 * connects by itself). Cluster clients of both work. The backend never connects, closes or
	 * configures it.
	 */
	client: RedisClient;
	/**
	 * The token location: one per user or tenant in a web app (e.g. the user's MSAL home account
	 * id), so each save touches only that user's key. No braces.
	 * @default "default"
	 */
	key?: string;
	/**
	 * Put before every key the backend uses, to keep its keys apart from your application's (and
	 * one app's from another's on a shared server). The token is stored at `<keyPrefix>{<key>}`,
	 * its lease at `<keyPrefix>{<key>}:lease`. No braces. An ioredis client's own `keyPrefix`
	 * option is applied on top.
	 * @default "o365:token:"
	 */
	keyPrefix?: string;
	/**
	 * The longest one Redis command may take, in milliseconds: past it the call rejects with a
	 * `TokenBackendError` coded `backend_io` naming the server, instead of waiting while the client
	 * retries an unreachable server. `acquireLease` may take its `waitMs` plus this.
	 * @default 10_000
	 */
	timeoutMs?: number;
}

/**
 * Keeps the token cache in one Redis string key, shared by every process that uses the same
 * server, key prefix and key. Saves are compare-and-set (a Lua script checks the SHA-1 of the
 * stored value), so concurrent processes merge instead of overwriting each other; an expiring
 * lease (`SET NX PX`) makes a fleet refresh a token once per expiry; an unreadable value is moved
 * aside with RENAME. Every call is bounded by `timeoutMs` and the caller's `AbortSignal`.
 */
export class RedisTokenBackend extends BaseTokenBackend {
	readonly name = "redis";
	/** The Redis key holding the token. */
	readonly key: string;
	/** The Redis key holding the lease. */
	readonly leaseKey: string;
	readonly #context: CommandContext;
	/** The version of the value `read()` last returned, so that `quarantine()` never moves a newer one. */
	#lastReadVersion: string | undefined;

	constructor(options: RedisTokenBackendOptions) {
		super(options ?? {});
		const {
			client,
			key = "default",
			keyPrefix = "o365:token:",
			timeoutMs = 10_000,
		} = options ?? ({} as Partial<RedisTokenBackendOptions>);
		const commands = redisCommandsOf(client);
		const keys: RedisKeys = redisKeys(keyPrefix, key);
		if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
			throw new ConfigurationError(
				"backend_invalid_config",
				`[o365:redis] \`timeoutMs\` must be a positive number of milliseconds, e.g. 10_000 (got ${String(timeoutMs)}).`,
			);
		}
		this.key = keys.value;
		this.leaseKey = keys.lease;
		this.#context = { commands, timeoutMs, key: keys.value };
	}

	async read(options: StorageCallOptions = {}): Promise<string | undefined> {
		return (await this.readVersioned(options))?.value;
	}

	/** Replaces the value whatever is stored (one SET). */
	async write(value: string, options: StorageCallOptions = {}): Promise<void> {
		await this.#send("save the token", ["SET", this.key, value], options);
	}

	async remove(options: StorageCallOptions = {}): Promise<boolean> {
		return Number(await this.#send("delete the token", ["DEL", this.key], options)) > 0;
	}

	async exists(options: StorageCallOptions = {}): Promise<boolean> {
		return Number(await this.#send("check for the token", ["EXISTS", this.key], options)) > 0;
	}

	/** The value with its version: the SHA-1 of the value, so reading both is one GET. */
	override async readVersioned(options: StorageCallOptions = {}): Promise<VersionedValue | undefined> {
		const reply = await this.#send("read the token", ["GET", this.key], options);
		if (reply === null || reply === undefined) return undefined;
		const value = typeof reply === "string" ? reply : Buffer.from(reply as Uint8Array).toString("utf8");
		const version = sha1(value);
		this.#lastReadVersion = version;
		return { value, version };
	}

	/**
	 * Writes only over `expectedVersion`, in one Lua script that compares the SHA-1 of the stored
	 * value and sets the new one, so that of two racing writers exactly one succeeds.
	 */
	override async writeIfVersion(
		value: string,
		expectedVersion: string | null,
		options: StorageCallOptions = {},
	): Promise<string | undefined> {
		// Not a version this backend gave: it cannot match.
		if (expectedVersion !== null && !VERSION.test(expectedVersion)) return undefined;
		const written = await this.#send(
			"save the token",
			["EVAL", WRITE_IF_VERSION, "1", this.key, value, expectedVersion ?? ""],
			options,
		);
		return Number(written) === 1 ? sha1(value) : undefined;
	}

	override acquireLease(options: LeaseOptions): Promise<TokenLease> {
		return acquireRedisLease(this.#context, this.leaseKey, options);
	}

	/**
	 * Renames an unreadable value to `<key>.corrupt-<UTC time>` (same hash slot), so the next
	 * sign-in starts clean and the evidence is kept (delete such keys once inspected). Does
	 * nothing (resolves `undefined`) when the value changed since it was read: another process saved.
	 */
	override async quarantine(options: StorageCallOptions = {}): Promise<string | undefined> {
		// No colons: the same stamp as backend-fs's quarantined files.
		const stamp = new Date().toISOString().replaceAll(":", "");
		for (let n = 1; ; n++) {
			const aside = `${this.key}.corrupt-${stamp}${n === 1 ? "" : `-${n}`}`;
			const moved = Number(
				await this.#send(
					"move the unreadable token aside",
					["EVAL", QUARANTINE, "2", this.key, aside, this.#lastReadVersion ?? ""],
					options,
				),
			);
			if (moved === 1) return `redis key ${JSON.stringify(aside)}`;
			if (moved === 0) return undefined;
		}
	}

	/** Where the token is kept, for logs: `redis key "o365:token:{default}"`. */
	override toString(): string {
		return `redis key ${JSON.stringify(this.key)}`;
	}

	#send(what: string, args: string[], options: StorageCallOptions): Promise<unknown> {
		return sendBounded(this.#context, { what, args, signal: options.signal });
	}
}

function sha1(value: string): string {
	return createHash("sha1").update(value, "utf8").digest("hex");
}
