/**
 * `startFakeGraph`: an in-process fake of a small part of Microsoft Graph on 127.0.0.1 with a free port, for
 * tests of Graph clients: bearer checks, paging, delta, `$batch`, and faults (throttling, resets, hangs, CAE).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { createTestCertificate } from "../certificate.js";
import { TestkitError } from "../errors.js";
import { closeServer, listenOnLoopback, readBody, toRecord } from "../http.js";
import { authenticate, authorizationUri, type GraphPrincipal, isReply } from "./auth.js";
import { runBatch } from "./batch.js";
import { DeltaTracker } from "./delta.js";
import { createDirectory } from "./directory.js";
import { BatchThrottleQueue, faultReply, GraphFaultQueue } from "./faults.js";
import { HangingRequests } from "./hanging.js";
import { MAX_PAGE_SIZE } from "./paging.js";
import { GraphRecorder } from "./recorder.js";
import { type GraphReply, type GraphRequest, graphError } from "./replies.js";
import { GRAPH_VERSIONS, type GraphContext, route } from "./routes.js";
import type { FakeGraph, FakeGraphOptions } from "./types.js";

function checkPageSize(pageSize: number | undefined): number {
	const size = pageSize ?? 10;
	if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
		throw new TestkitError(
			"invalid_options",
			`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}; got ${size}.`,
		);
	}
	return size;
}

function lowerHeaders(headers: IncomingHttpHeaders): Record<string, string> {
	const lower: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined) lower[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
	}
	return lower;
}

/** Splits `/v1.0/users` into the version and the path after it (versions in any case). */
function splitVersion(pathname: string): { version: string | undefined; path: string } {
	const match = /^\/([^/]+)(\/.*)?$/.exec(pathname);
	const segment = match?.[1]?.toLowerCase();
	if (segment === undefined || !GRAPH_VERSIONS.has(segment)) return { version: undefined, path: pathname };
	return { version: segment, path: match?.[2] ?? "/" };
}

/** Graph's `request-id` and `client-request-id` headers, on every answer (batch steps too). */
function withIds(request: GraphRequest, reply: GraphReply): GraphReply {
	return {
		...reply,
		headers: {
			...reply.headers,
			"request-id": request.requestId,
			"client-request-id": request.clientRequestId,
		},
	};
}

/** Starts a fake of Microsoft Graph (`/v1.0` and `/beta`) on `127.0.0.1:<free port>`. */
export async function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
	const identityPlatform = options.identityPlatform;
	const pageSize = checkPageSize(options.pageSize);
	const directory = createDirectory(options.users, identityPlatform);
	const context: GraphContext = {
		origin: "",
		directory,
		delta: new DeltaTracker(directory, () => context.origin, pageSize),
		pageSize,
	};
	const recorder = new GraphRecorder();
	const faults = new GraphFaultQueue();
	const hangs = new HangingRequests();
	const throttles = new BatchThrottleQueue();
	const authorizeUri = authorizationUri(identityPlatform);
	// Aborted by close(): ends every pending delay, so nothing answers after the fake stopped.
	const lifetime = new AbortController();

	const wait = async (ms: number): Promise<void> => {
		if (ms > 0) await sleep(ms, undefined, { signal: lifetime.signal });
	};

	const runStep = async (
		step: GraphRequest,
		stepId: string,
		forced: GraphReply | undefined,
		principal: GraphPrincipal,
		batchRequestId: string,
	): Promise<GraphReply> => {
		const entry = recorder.start({
			method: step.method,
			path: `/${step.version ?? "v1.0"}${step.path}`,
			query: step.query,
			headers: step.headers,
			body: step.body,
			at: Date.now(),
			requestId: step.requestId,
			batchStepOf: batchRequestId,
			batchStepId: stepId,
		});
		let reply = forced;
		if (!reply) {
			const fault = faults.take(step, true);
			await wait(fault?.delayMs ?? 0);
			reply = (fault && faultReply(fault, step, authorizeUri)) ?? route(context, step, principal);
		}
		entry.status = reply.status;
		return withIds(step, reply);
	};

	const process = async (request: GraphRequest): Promise<GraphReply> => {
		const principal = authenticate(request, identityPlatform);
		if (isReply(principal)) return principal;
		if (request.version !== undefined && /^\/\$batch\/?$/i.test(request.path)) {
			return runBatch(request, throttles, (step, stepId, forced) =>
				runStep(step, stepId, forced, principal, request.requestId),
			);
		}
		return route(context, request, principal);
	};

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const at = Date.now();
		const url = new URL(req.url ?? "/", context.origin);
		const body = await readBody(req);
		const headers = lowerHeaders(req.headers);
		const requestId = randomUUID();
		const request: GraphRequest = {
			method: (req.method ?? "GET").toUpperCase(),
			...splitVersion(url.pathname),
			query: toRecord(url.searchParams),
			headers,
			body,
			requestId,
			clientRequestId: headers["client-request-id"] ?? requestId,
		};
		const entry = recorder.start({
			method: request.method,
			path: url.pathname,
			query: request.query,
			headers,
			body,
			at,
			requestId,
		});
		const fault = faults.take(request, false);
		await wait(Math.max(0, graph.latencyMs) + (fault?.delayMs ?? 0));
		if (fault?.resetConnection) {
			req.socket.destroy();
			return;
		}
		if (fault?.hang) {
			// close() drops the connection; until then it counts as hanging while the client keeps it open.
			if (!req.socket.destroyed) hangs.hold(res);
			return;
		}
		const reply = withIds(
			request,
			(fault && faultReply(fault, request, authorizeUri)) ?? (await process(request)),
		);
		entry.status = reply.status;
		res.writeHead(reply.status, reply.headers);
		res.end(reply.body);
	};

	const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
		handle(req, res).catch((error: unknown) => {
			if (lifetime.signal.aborted) {
				req.socket.destroy();
				return;
			}
			// A bug in the fake must be loud in the test, not a hung request.
			const reply = graphError(
				{ requestId: randomUUID(), clientRequestId: "" },
				500,
				`Fake Graph failed: ${String(error)}`,
			);
			if (!res.headersSent) res.writeHead(reply.status, reply.headers);
			res.end(reply.body);
		});
	};
	// Graph clients send bearers only over https (graph-client, Azure pipelines): `tls` serves https
	// with a certificate minted now for 127.0.0.1 and localhost, which clients trust as their `ca`.
	const certificate = options.tls
		? createTestCertificate({ subject: "o365-testkit-graph", subjectAltNames: ["127.0.0.1", "localhost"] })
		: undefined;
	const server = certificate
		? createTlsServer({ cert: certificate.certificate, key: certificate.privateKey }, onRequest)
		: createServer(onRequest);
	const listening = await listenOnLoopback(server, "The fake Graph");
	context.origin = certificate ? listening.replace(/^http:/, "https:") : listening;

	const graph: FakeGraph = {
		origin: context.origin,
		serviceUrl: `${context.origin}/v1.0/`,
		certificate: certificate?.certificate,
		get users() {
			return directory.users;
		},
		get requests() {
			return recorder.requests;
		},
		clearRequests: () => recorder.clear(),
		failNext: (fault) => faults.add(fault),
		throttleBatchSteps: (throttle) => throttles.add(throttle),
		latencyMs: 0,
		get hanging() {
			return hangs.count;
		},
		untilNoneHanging: () => hangs.untilNone(),
		close: () => {
			// Ends every pending delay, so nothing answers after the fake stopped.
			lifetime.abort();
			return closeServer(server);
		},
	};
	return graph;
}
