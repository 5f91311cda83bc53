import { ConfigurationError } from "@o365/core";

/**
 * The one thing the backend needs from a Redis client: send a command, get its reply. Built from
 * the user's client by {@link redisCommandsOf}, so the package imports neither client library.
 */
export interface RedisCommands {
	/** Which library the client is from, for messages: `"ioredis"` or `"node-redis"`. */
	readonly library: "ioredis" | "node-redis";
	/**
	 * Sends `args` (routed by `routingKey` on a cluster). `signal` drops the command if it has not
	 * been written to the socket yet (node-redis; ioredis takes no signal).
	 */
	send(args: string[], routingKey: string, signal: AbortSignal): Promise<unknown>;
	/** Where the client connects, without credentials: `127.0.0.1:6379`, `a Redis Cluster`… */
	endpoint(): string;
	/** Refuses a client that cannot work (a node-redis client never connected); `undefined` when fine. */
	unusable(): string | undefined;
	/** The client's connection state, for messages, e.g. `reconnecting`. */
	state(): string;
}

/** An ioredis `Redis` or `Cluster`: what the backend uses of it. */
interface IoredisShape {
	status: string;
	call(command: string, ...args: string[]): Promise<unknown>;
	options?: { host?: unknown; port?: unknown; path?: unknown };
	startupNodes?: unknown;
}

/** A node-redis client (`createClient`) or cluster (`createCluster`): what the backend uses of it. */
interface NodeRedisShape {
	isOpen: boolean;
	isReady: boolean;
	sendCommand(...args: unknown[]): Promise<unknown>;
	options?: { url?: unknown; socket?: { host?: unknown; port?: unknown; path?: unknown } };
	masters?: unknown;
}

function isIoredis(client: object): client is IoredisShape {
	const shape = client as Partial<IoredisShape>;
	return typeof shape.call === "function" && typeof shape.status === "string";
}

function isNodeRedis(client: object): client is NodeRedisShape {
	const shape = client as Partial<NodeRedisShape>;
	return typeof shape.sendCommand === "function" && typeof shape.isOpen === "boolean";
}

/** A node-redis cluster routes by the key passed first; a single client takes the arguments alone. */
function isNodeRedisCluster(client: NodeRedisShape): boolean {
	return "masters" in client && "nodeByAddress" in client;
}

/** Recognises the user's client by its shape (ioredis: `call` + `status`; node-redis: `sendCommand` + `isOpen`). */
export function redisCommandsOf(client: unknown): RedisCommands {
	if (client === null || client === undefined) {
		throw invalid(
			"the `client` option is missing: pass your connected Redis client, e.g. new RedisTokenBackend({ client: new Redis(url) }) (ioredis) or { client: await createClient({ url }).connect() } (node-redis).",
		);
	}
	if (typeof client !== "object") {
		throw invalid(
			typeof client === "function"
				? "`client` is a class or factory; pass a client instance: new Redis(url) (ioredis) or createClient({ url }) (node-redis)."
				: `\`client\` must be an ioredis or node-redis client instance, not a ${typeof client}.`,
		);
	}
	if (isIoredis(client)) return ioredisCommands(client);
	if (isNodeRedis(client)) return nodeRedisCommands(client);
	throw invalid(
		"`client` is neither an ioredis client (it has no call() and status) nor a node-redis client (no sendCommand() and isOpen). Pass new Redis(url) from ioredis, or createClient({ url }) from redis.",
	);
}

function ioredisCommands(client: IoredisShape): RedisCommands {
	return {
		library: "ioredis",
		// ioredis takes no signal: a command queued while it reconnects is sent once it is back.
		send: (args) => client.call(args[0] as string, ...args.slice(1)),
		endpoint: () => {
			if (client.startupNodes !== undefined) return "a Redis Cluster";
			const { host = "localhost", port = 6379, path } = client.options ?? {};
			return typeof path === "string" && path !== "" ? path : `${String(host)}:${String(port)}`;
		},
		unusable: () => undefined, // a lazy or reconnecting client connects on its own
		state: () => client.status,
	};
}

function nodeRedisCommands(client: NodeRedisShape): RedisCommands {
	const cluster = isNodeRedisCluster(client);
	return {
		library: "node-redis",
		send: (args, routingKey, signal) =>
			cluster
				? client.sendCommand(routingKey, false, args, { abortSignal: signal })
				: client.sendCommand(args, { abortSignal: signal }),
		endpoint: () => (cluster ? "a Redis Cluster" : nodeRedisEndpoint(client.options)),
		unusable: () =>
			client.isOpen
				? undefined
				: "the node-redis client is not connected: call `await client.connect()` before the backend's first call (node-redis sends nothing before, unlike ioredis).",
		state: () => (client.isReady ? "ready" : client.isOpen ? "reconnecting" : "closed"),
	};
}

/** host:port (or the socket path) of a node-redis client's options; a URL's credentials are never shown. */
function nodeRedisEndpoint(options: NodeRedisShape["options"]): string {
	const socket = options?.socket ?? {};
	if (typeof socket.path === "string" && socket.path !== "") return socket.path;
	if (typeof options?.url === "string") {
		try {
			const url = new URL(options.url);
			return `${url.hostname || "localhost"}:${url.port || "6379"}`;
		} catch {
			return "the client's url";
		}
	}
	return `${String(socket.host ?? "localhost")}:${String(socket.port ?? 6379)}`;
}

function invalid(message: string): ConfigurationError {
	return new ConfigurationError("backend_invalid_config", `[o365:redis] ${message}`);
}
