import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP relay on loopback between a client and a server, that a test can cut (the server becomes
 * unreachable, as in a network outage, while it keeps its data) and restore on the same port.
 */
export class CuttableLink {
	#server: Server | undefined;
	readonly #sockets = new Set<Socket>();
	#port = 0;

	constructor(readonly upstream: { host: string; port: number }) {}

	/** `127.0.0.1:<port>`, for the client. */
	get address(): string {
		return `127.0.0.1:${this.#port}`;
	}

	/** Starts relaying (on the same port as before, after a cut). */
	async open(): Promise<void> {
		const server = createServer((inbound) => {
			const outbound = connect(this.upstream.port, this.upstream.host);
			for (const socket of [inbound, outbound]) {
				this.#sockets.add(socket);
				socket.on("close", () => this.#sockets.delete(socket));
				socket.on("error", () => {
					inbound.destroy();
					outbound.destroy();
				});
			}
			inbound.pipe(outbound).pipe(inbound);
		});
		await new Promise<void>((resolve, reject) => {
			server.once("error", reject);
			server.listen(this.#port, "127.0.0.1", () => resolve());
		});
		this.#port = (server.address() as { port: number }).port;
		this.#server = server;
	}

	/** Refuses new connections and drops the open ones. */
	async cut(): Promise<void> {
		const server = this.#server;
		this.#server = undefined;
		for (const socket of this.#sockets) socket.destroy();
		if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}
