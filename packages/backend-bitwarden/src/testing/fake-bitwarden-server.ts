// A FAKE Bitwarden Secrets Manager server, for tests and offline demos only (no real server runs
// offline), shipped as `@o365/backend-bitwarden/testing`; never point production at it. It speaks
// enough of the real API for the real `@bitwarden/sdk-napi` 1.0.0 to log in with a machine
// account's access token and to create, get, update, list and delete secrets
// (../../../../shared/spec/real-servers.md §4 and appendix A). It implements the parts the SDK checks:
// the access-token key derivation and the EncString (type 2) the organization key travels in.
// The SDK encrypts key, value and note itself, so the fake only stores the strings it is sent.

import crypto from "node:crypto";
import { EventEmitter, once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A machine account's access token, as the Bitwarden web vault shows it once. */
export interface FakeAccessToken {
	clientId: string;
	clientSecret: string;
	/** The 16-byte seed the token's encryption key is derived from. */
	seed: Buffer;
	/** `0.<clientId>.<clientSecret>:<base64 seed>`: what users paste into their configuration. */
	token: string;
}

/** What the fake stores of a secret (the strings are EncStrings made by the SDK). */
export interface FakeSecret {
	id: string;
	key: string;
	value: string;
	note: string;
	projectIds: string[];
	creationDate: string;
	revisionDate: string;
}

/** One request the fake received: method, path and the Authorization header it carried. */
export interface FakeRequest {
	method: string;
	path: string;
	authorization: string | undefined;
	/** The form or JSON body as received. */
	body: string;
}

export interface FakeBitwardenServer {
	readonly organizationId: string;
	readonly apiUrl: string;
	readonly identityUrl: string;
	/** Every request received, in order. */
	readonly requests: FakeRequest[];
	readonly secrets: Map<string, FakeSecret>;
	/** The machine accounts' access tokens the identity endpoint accepts; push to add one. */
	readonly accessTokens: FakeAccessToken[];
	/**
	 * Holds every request `hold` picks (every request when omitted), without answering, until the
	 * returned function is called: a server that accepts connections but never replies.
	 */
	stall(hold?: (request: FakeRequest) => boolean): () => void;
	/** Resolves with the next request the fake receives (held or not). */
	requestArrived(): Promise<FakeRequest>;
	/** Answers every API (not identity) request with this status until called with `undefined`. */
	failWith(status: number | undefined): void;
	/** Stops accepting connections and drops open ones. */
	close(): Promise<void>;
}

/**
 * The real server refuses an encrypted value longer than this (`[EncryptedStringLength(35000)]`
 * on the secret request models); the SDK checks the plaintext (at most 25,000 characters) first.
 */
const MAX_ENCRYPTED_LENGTH = 35_000;

export function makeAccessToken(): FakeAccessToken {
	const clientId = crypto.randomUUID();
	const clientSecret = crypto.randomBytes(22).toString("base64url").slice(0, 30);
	const seed = crypto.randomBytes(16);
	return { clientId, clientSecret, seed, token: `0.${clientId}.${clientSecret}:${seed.toString("base64")}` };
}

/** EncString type 2: AES-256-CBC, then HMAC-SHA256 over iv‖ciphertext. */
function encString(plaintext: string, key: Buffer): string {
	const iv = crypto.randomBytes(16);
	const cipher = crypto.createCipheriv("aes-256-cbc", key.subarray(0, 32), iv);
	const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
	const mac = crypto
		.createHmac("sha256", key.subarray(32, 64))
		.update(Buffer.concat([iv, ciphertext]))
		.digest();
	return `2.${iv.toString("base64")}|${ciphertext.toString("base64")}|${mac.toString("base64")}`;
}

/** A status and a JSON body. */
interface Reply {
	status: number;
	payload?: unknown;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Starts the fake on a free loopback port. */
export async function startFakeBitwardenServer(
	options: {
		accessTokens?: FakeAccessToken[];
		organizationId?: string;
		/** How long a login's session lasts (`expires_in`), in seconds. @default 3600 */
		sessionSeconds?: number;
	} = {},
): Promise<FakeBitwardenServer> {
	const organizationId = options.organizationId ?? crypto.randomUUID();
	const accessTokens = [...(options.accessTokens ?? [])];
	const sessionSeconds = options.sessionSeconds ?? 3600;
	const organizationKey = crypto.randomBytes(64);
	const secrets = new Map<string, FakeSecret>();
	const requests: FakeRequest[] = [];
	let stalled: { hold: (request: FakeRequest) => boolean; held: Array<() => void> } | undefined;
	let failStatus: number | undefined;
	const arrivals = new EventEmitter();

	const model = (secret: FakeSecret) => ({
		object: "secret",
		id: secret.id,
		organizationId,
		key: secret.key,
		value: secret.value,
		note: secret.note,
		creationDate: secret.creationDate,
		revisionDate: secret.revisionDate,
		projects: secret.projectIds.map((id) => ({ id, name: "project" })),
		read: true,
		write: true,
	});

	function answer(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
		const { status, payload } = route(req, body);
		res.writeHead(status, { "content-type": "application/json" });
		res.end(payload === undefined ? "" : JSON.stringify(payload));
	}

	function route(req: http.IncomingMessage, body: string): Reply {
		const send = (status: number, payload?: unknown): Reply => ({ status, payload });
		const path = new URL(req.url ?? "/", "http://fake").pathname;
		const method = req.method ?? "GET";

		if (method === "POST" && path === "/identity/connect/token") {
			const form = new URLSearchParams(body);
			const token = accessTokens.find(
				(t) => t.clientId === form.get("client_id") && t.clientSecret === form.get("client_secret"),
			);
			if (token === undefined) return send(400, { error: "invalid_client" });
			const tokenKey = Buffer.from(
				crypto.hkdfSync("sha256", token.seed, "bitwarden-accesstoken", "sm-access-token", 64),
			);
			const now = Math.floor(Date.now() / 1000);
			const claims = {
				sub: token.clientId,
				organization: organizationId,
				scope: ["api.secrets"],
				exp: now + sessionSeconds,
				nbf: now,
				iat: now,
			};
			return send(200, {
				access_token: `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claims)}.fake-signature`,
				expires_in: sessionSeconds,
				token_type: "Bearer",
				scope: "api.secrets",
				encrypted_payload: encString(
					JSON.stringify({ encryptionKey: organizationKey.toString("base64") }),
					tokenKey,
				),
			});
		}

		if (!/^Bearer .+/.test(req.headers.authorization ?? "")) return send(401);
		if (failStatus !== undefined) return send(failStatus, { message: "fake: failing on purpose" });
		const json = body === "" ? undefined : JSON.parse(body);
		const tooLong = (request: { key?: string; value?: string; note?: string }) =>
			[request.key, request.value, request.note].some((s) => (s?.length ?? 0) > MAX_ENCRYPTED_LENGTH);

		const orgSecrets = /^\/api\/organizations\/([^/]+)\/secrets$/.exec(path);
		if (orgSecrets !== null && orgSecrets[1] !== organizationId) {
			return send(404, { message: "Resource not found." });
		}
		if (method === "POST" && orgSecrets !== null) {
			if (tooLong(json)) return send(400, { message: "The model state is invalid." });
			const now = new Date().toISOString();
			const secret: FakeSecret = {
				id: crypto.randomUUID(),
				key: json.key,
				value: json.value,
				note: json.note,
				projectIds: json.projectIds ?? [],
				creationDate: now,
				revisionDate: now,
			};
			secrets.set(secret.id, secret);
			return send(200, model(secret));
		}
		if (method === "GET" && orgSecrets !== null) {
			return send(200, {
				object: "SecretsWithProjectsList",
				projects: [],
				secrets: [...secrets.values()].map((s) => ({
					id: s.id,
					organizationId,
					key: s.key,
					creationDate: s.creationDate,
					revisionDate: s.revisionDate,
					projects: [],
					read: true,
					write: true,
				})),
			});
		}
		if (method === "POST" && path === "/api/secrets/get-by-ids") {
			const ids: string[] = json.ids;
			return send(200, {
				object: "list",
				data: ids.filter((id) => secrets.has(id)).map((id) => model(secrets.get(id) as FakeSecret)),
			});
		}
		if (method === "POST" && path === "/api/secrets/delete") {
			const ids: string[] = json;
			return send(200, {
				object: "list",
				data: ids.map((id) => ({ id, error: secrets.delete(id) ? null : "Secret not found" })),
			});
		}
		const one = /^\/api\/secrets\/([0-9a-f-]+)$/.exec(path);
		if (one !== null) {
			const secret = secrets.get(one[1] as string);
			if (secret === undefined) return send(404, { message: "Resource not found." });
			if (method === "GET") return send(200, model(secret));
			if (method === "PUT") {
				if (tooLong(json)) return send(400, { message: "The model state is invalid." });
				// The real API replaces key, value, note and projects unconditionally: no If-Match,
				// no expected revision date. This is why the backend's compare-and-set is best-effort.
				Object.assign(secret, {
					key: json.key,
					value: json.value,
					note: json.note,
					projectIds: json.projectIds ?? [],
					revisionDate: new Date().toISOString(),
				});
				return send(200, model(secret));
			}
		}
		return send(404, { message: `fake-bitwarden: no route ${method} ${path}` });
	}

	const server = http.createServer((req, res) => {
		let body = "";
		req.setEncoding("utf8");
		req.on("data", (chunk: string) => {
			body += chunk;
		});
		req.on("end", () => {
			const request: FakeRequest = {
				method: req.method ?? "GET",
				path: new URL(req.url ?? "/", "http://fake").pathname,
				authorization: req.headers.authorization,
				body,
			};
			requests.push(request);
			arrivals.emit("request", request);
			if (stalled?.hold(request)) stalled.held.push(() => answer(req, res, body));
			else answer(req, res, body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	return {
		organizationId,
		apiUrl: `${base}/api`,
		identityUrl: `${base}/identity`,
		requests,
		secrets,
		accessTokens,
		stall(hold = () => true) {
			const stall = { hold, held: [] as Array<() => void> };
			stalled = stall;
			return () => {
				if (stalled === stall) stalled = undefined;
				for (const release of stall.held) release();
			};
		},
		requestArrived: async () => (await once(arrivals, "request"))[0] as FakeRequest,
		failWith(status) {
			failStatus = status;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
