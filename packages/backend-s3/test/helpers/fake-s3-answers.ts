import { createServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";

/**
 * A FAKE S3 endpoint that answers every request with one fixed error, for the answers radosgw
 * cannot be made to give (a bucket in another region, an internal error). The SDK under test is
 * the real one; only the answer is canned.
 */
export async function startFakeS3Answer(answer: {
	status: number;
	code: string;
	headers?: Record<string, string>;
}): Promise<{ endpoint: string; requests: IncomingMessage[]; close(): Promise<void> }> {
	const requests: IncomingMessage[] = [];
	const server = createServer((request, response) => {
		requests.push(request);
		request.resume();
		response.writeHead(answer.status, { "content-type": "application/xml", ...answer.headers });
		response.end(
			`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${answer.code}</Code><Message>canned ${answer.code}</Message></Error>`,
		);
	});
	return { endpoint: await listen(server), requests, close: () => close(server) };
}

/**
 * A FAKE S3 endpoint that starts answering a read (200, headers, the first bytes of the body)
 * and then stalls, as a server that hangs mid-transfer.
 */
export async function startStallingServer(): Promise<{ endpoint: string; close(): Promise<void> }> {
	const server = createServer((request, response) => {
		request.resume();
		response.writeHead(200, { "content-type": "text/plain", "content-length": "1000", etag: '"abc"' });
		response.write("the first bytes");
	});
	return {
		endpoint: await listen(server),
		close: () => {
			server.closeAllConnections();
			return close(server);
		},
	};
}

/**
 * A server that accepts connections and never answers (a black hole, like a firewall that drops
 * packets after the handshake), counting the connections it got.
 */
export async function startSilentServer(): Promise<{
	endpoint: string;
	connections(): number;
	close(): Promise<void>;
}> {
	let connections = 0;
	const sockets = new Set<import("node:net").Socket>();
	const server = createTcpServer((socket) => {
		connections += 1;
		sockets.add(socket);
		socket.on("error", () => {});
		socket.on("close", () => sockets.delete(socket));
	});
	const endpoint = await listen(server);
	return {
		endpoint,
		connections: () => connections,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await close(server);
		},
	};
}

function listen(server: Server | import("node:net").Server): Promise<string> {
	return new Promise((resolve) => {
		server.listen(0, "127.0.0.1", () =>
			resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`),
		);
	});
}

function close(server: Server | import("node:net").Server): Promise<void> {
	return new Promise((resolve) => server.close(() => resolve()));
}
