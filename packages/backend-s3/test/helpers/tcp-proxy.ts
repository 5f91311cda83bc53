import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy on loopback between the S3 client and the real server, that a test can cut: every
 * open connection is destroyed and the port stops accepting (connections are then refused), as
 * when the server goes down; `restore()` accepts again on the same port. Not a fake: the bytes go
 * to and from the real server unchanged.
 */
export interface TcpProxy {
	/** `http://127.0.0.1:<port>`: the endpoint to give the client. */
	readonly endpoint: string;
	/** Cuts the first time a request's first bytes match `pattern` (before they reach the server). */
	cutOnRequest(pattern: RegExp): Promise<void>;
	/**
	 * The first request matching `pattern` reaches the server, which applies it, but its answer
	 * never reaches the client: that connection is reset when the answer comes back.
	 */
	loseAnswerTo(pattern: RegExp): Promise<void>;
	cut(): Promise<void>;
	restore(): Promise<void>;
	close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
	const { hostname, port: targetPort } = new URL(target);
	const sockets = new Set<Socket>();
	let trigger: { pattern: RegExp; fired: () => void } | undefined;
	let answerLost: { pattern: RegExp; fired: () => void } | undefined;
	let server: Server | undefined;
	let port = 0;

	const listen = () =>
		new Promise<void>((resolve, reject) => {
			const next = createServer((client) => {
				const upstream = connect(Number(targetPort), hostname);
				sockets.add(client).add(upstream);
				for (const socket of [client, upstream]) {
					socket.on("error", () => {});
					socket.on("close", () => {
						sockets.delete(socket);
						client.destroy();
						upstream.destroy();
					});
				}
				let loseAnswer: (() => void) | undefined;
				client.on("data", (chunk: Buffer) => {
					const head = chunk.toString("latin1", 0, 256);
					if (trigger?.pattern.test(head)) {
						const { fired } = trigger;
						trigger = undefined;
						void cut().then(fired);
						return;
					}
					if (answerLost?.pattern.test(head)) {
						loseAnswer = answerLost.fired;
						answerLost = undefined;
					}
					upstream.write(chunk);
				});
				upstream.on("data", (chunk: Buffer) => {
					if (loseAnswer === undefined) {
						client.write(chunk);
						return;
					}
					loseAnswer();
					client.resetAndDestroy();
				});
			});
			next.once("error", reject);
			next.listen(port, "127.0.0.1", () => {
				port = (next.address() as { port: number }).port;
				server = next;
				resolve();
			});
		});

	const cut = async () => {
		const stopping = server;
		server = undefined;
		for (const socket of sockets) socket.destroy();
		sockets.clear();
		if (stopping !== undefined) await new Promise<void>((resolve) => stopping.close(() => resolve()));
	};

	await listen();
	return {
		endpoint: `http://127.0.0.1:${port}`,
		cutOnRequest: (pattern) =>
			new Promise<void>((resolve) => {
				trigger = { pattern, fired: resolve };
			}),
		loseAnswerTo: (pattern) =>
			new Promise<void>((resolve) => {
				answerLost = { pattern, fired: resolve };
			}),
		cut,
		restore: listen,
		close: cut,
	};
}
