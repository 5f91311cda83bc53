/**
 * The egress guard: makes any connection to a host that is not loopback fail at once, before DNS or a packet.
 *
 * It patches `net.Socket.prototype.connect`, which every TCP client in Node goes through (`node:http`,
 * `node:https`, `node:tls`, and the undici behind global `fetch`), so a misconfigured test fails the same way
 * offline and on a networked laptop instead of silently talking to login.microsoftonline.com.
 */
import net from "node:net";
import { TestkitError } from "./errors.js";
import { isLoopbackHost } from "./loopback.js";

/** A connection attempt the guard stopped. */
export interface EgressViolation {
	host: string;
	port: number | undefined;
	/** Epoch milliseconds. */
	at: number;
	/** Where the attempt came from. */
	stack: string | undefined;
}

type Connect = typeof net.Socket.prototype.connect;

const violations: EgressViolation[] = [];
let originalConnect: Connect | undefined;

/** The TCP target of `connect(...)` arguments, or `undefined` for an IPC path (unix socket, named pipe), which stays local. */
function targetOf(args: unknown[]): { host: string; port: number | undefined } | undefined {
	// Node's own net.connect/http/tls pass an internal [options, callback] array.
	const first: unknown = Array.isArray(args[0]) ? args[0][0] : args[0];
	if (typeof first === "object" && first !== null) {
		const options = first as { path?: unknown; host?: unknown; port?: unknown };
		if (typeof options.path === "string") return undefined;
		const port = options.port === undefined ? undefined : Number(options.port);
		return { host: typeof options.host === "string" && options.host ? options.host : "localhost", port };
	}
	if (typeof first === "string" && !/^\d+$/.test(first)) return undefined; // connect(path)
	const host = typeof args[1] === "string" && args[1] ? args[1] : "localhost";
	return { host, port: first === undefined ? undefined : Number(first) };
}

function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
	const target = targetOf(args);
	if (target === undefined || isLoopbackHost(target.host)) {
		return Reflect.apply(originalConnect as Connect, this, args) as net.Socket;
	}
	const where = `${target.host}${target.port === undefined ? "" : `:${target.port}`}`;
	const error = new TestkitError(
		"egress_blocked",
		`Egress guard: refused a connection to ${where}. Tests may only connect to loopback (127.0.0.0/8, ::1, localhost); point the client at a local fake (for msal-node: knownAuthorities + authorityMetadata).`,
	);
	violations.push({ host: target.host, port: target.port, at: Date.now(), stack: error.stack });
	// Fail like a refused connection, asynchronously, so every client reports it through its usual error path.
	process.nextTick(() => this.destroy(error));
	return this;
}

/** Installs the guard (idempotent). */
export function installEgressGuard(): void {
	if (originalConnect) return;
	originalConnect = net.Socket.prototype.connect;
	net.Socket.prototype.connect = guardedConnect as Connect;
}

/** Restores the original `connect` (idempotent). */
export function uninstallEgressGuard(): void {
	if (!originalConnect) return;
	net.Socket.prototype.connect = originalConnect;
	originalConnect = undefined;
}

/** Connection attempts stopped since the last {@link clearEgressViolations} (a copy). */
export function egressViolations(): EgressViolation[] {
	return [...violations];
}

export function clearEgressViolations(): void {
	violations.length = 0;
}
