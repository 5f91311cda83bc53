/**
 * Public types of the fake Microsoft Graph: options, faults, records and the handle.
 */
import type { FakeIdentityPlatform } from "../types.js";

/** A directory user to serve from `/users`. */
export interface FakeGraphUserInput {
	/** User principal name, e.g. `adele@contoso.test`. */
	userPrincipalName: string;
	/** Object id. @default a UUID derived from `userPrincipalName` */
	id?: string;
	/** @default the part of `userPrincipalName` before "@" */
	displayName?: string;
	/** @default `userPrincipalName` */
	mail?: string | null;
}

/** A directory user as Graph returns it (the default `$select` of this fake). */
export interface FakeGraphUser {
	readonly id: string;
	readonly displayName: string;
	readonly userPrincipalName: string;
	readonly mail: string | null;
}

/** Options of `startFakeGraph`. */
export interface FakeGraphOptions {
	/**
	 * Validates bearer tokens with `identityPlatform.verifyAccessToken` (signature, issuer, expiry).
	 * Without it, any non-empty bearer is accepted, and a JWT's claims are read without checking them.
	 * @default undefined
	 */
	identityPlatform?: FakeIdentityPlatform;
	/**
	 * Directory users served by `/users`: a list, or a count of users to generate (`user1@contoso.test`…, with
	 * stable ids).
	 * @default the identity platform's users (live: users added to it later appear too), else 5 generated users
	 */
	users?: number | FakeGraphUserInput[];
	/** Page size of `/users` and `/users/delta` when the request names none (`$top` overrides, capped at 999). @default 10 */
	pageSize?: number;
	/**
	 * Serve `https://` with a self-signed certificate for 127.0.0.1 and localhost minted at start
	 * (clients trust {@link FakeGraph.certificate} as their `ca`). Graph SDKs attach bearers only to
	 * https URLs. @default false
	 */
	tls?: boolean;
}

/** One request the fake received: a top-level HTTP request or a step of a `$batch`. */
export interface RecordedGraphRequest {
	method: string;
	/** URL path without the query string, version segment included, e.g. `/v1.0/users`. */
	path: string;
	query: Record<string, string>;
	/** Request headers, names lower-cased; `authorization` is stored as `"Bearer [redacted]"`. */
	headers: Record<string, string>;
	/** Body as received (a batch step's JSON body is serialised); `""` when none. */
	body: string;
	/** HTTP status the fake answered with; `0` while unanswered, and for `resetConnection` and `hang` faults. */
	status: number;
	/** Epoch milliseconds when the request arrived. */
	at: number;
	/** The `request-id` response header the fake sent (also in Graph error bodies). */
	requestId: string;
	/** For a `$batch` step: the `requestId` of its batch. */
	batchStepOf?: string;
	/** For a `$batch` step: its `id` inside the batch. */
	batchStepId?: string;
}

/**
 * A fault to inject on the next matching request(s) (`graph.failNext(...)`). Give exactly the kind you want:
 * - `status` (with optional `retryAfter`, `code`, `message`): a Graph-shaped JSON error;
 * - `claimsChallenge`: a 401 with a CAE `insufficient_claims` challenge in `WWW-Authenticate`;
 * - `resetConnection`: the socket is destroyed without an answer (the client's `fetch` rejects);
 * - `hang`: no answer ever (until `graph.close()`);
 * - `delayMs` alone: the normal answer, late. It also delays any other kind.
 *
 * `$batch` steps match faults by their own method and path, except `resetConnection` and `hang` faults, which only
 * match HTTP requests.
 */
export interface GraphFault {
	/** HTTP status of the error, 400–599. @default 401 with `claimsChallenge`, else none (the request is processed) */
	status?: number;
	/**
	 * `Retry-After` header: seconds (a number) or an HTTP-date (a string sent as is, or a `Date`).
	 * @default undefined (no header)
	 */
	retryAfter?: number | string | Date;
	/** Graph error `code`. @default by status, e.g. `"TooManyRequests"` for 429, `"serviceNotAvailable"` for 503 */
	code?: string;
	/** Graph error `message`. @default a text naming the injected fault */
	message?: string;
	/** The claims JSON of a CAE challenge, e.g. `{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}`; sent base64-encoded. @default undefined */
	claimsChallenge?: string;
	/** Destroy the connection without answering. @default false */
	resetConnection?: boolean;
	/** Never answer. @default false */
	hang?: boolean;
	/** Answer this many milliseconds late. @default 0 */
	delayMs?: number;
	/** Only requests with this method match (any case). @default undefined (any method) */
	method?: string;
	/**
	 * Only requests whose path after the version segment matches: a string is a prefix of whole segments, any case
	 * (`"/me"` matches `/me` and `/me/sendMail`, not `/messages`); a RegExp is tested against that path.
	 * @default undefined (any path)
	 */
	path?: string | RegExp;
	/** How many matching requests get the fault. @default 1 */
	times?: number;
}

/** Steps to throttle inside the next `$batch` call(s) (`graph.throttleBatchSteps(...)`). */
export interface BatchStepThrottle {
	/** The step ids to throttle. @default undefined (see `count`) */
	ids?: string[];
	/** When `ids` is not given: throttle the first `count` steps, in request order. @default every step */
	count?: number;
	/** Status of a throttled step. @default 429 */
	status?: 429 | 503;
	/** Seconds, sent as the `Retry-After` header of each throttled step. @default 1 */
	retryAfter?: number;
	/** How many `$batch` calls are affected. @default 1 */
	times?: number;
}

/** A running fake of Microsoft Graph (a small part of it) on `127.0.0.1`. */
export interface FakeGraph {
	/** `http://127.0.0.1:<port>` (`https://` with `tls`). */
	readonly origin: string;
	/** `${origin}/v1.0/`; `${origin}/beta/` is served the same way. */
	readonly serviceUrl: string;
	/** With `tls`: the server's PEM certificate, to pass as a client's `ca`; else `undefined`. */
	readonly certificate: string | undefined;
	/** The directory users, as `/users` serves them now. */
	readonly users: readonly FakeGraphUser[];
	/** Every request received (batch steps included, after their batch), in order of arrival, secrets redacted. */
	readonly requests: readonly RecordedGraphRequest[];
	clearRequests(): void;
	/** Makes the next matching request(s) fail, hang, reset or wait; see {@link GraphFault}. */
	failNext(fault: GraphFault): void;
	/**
	 * Throttles steps inside the next `$batch` call(s): they come back with status 429 (or 503) and their own
	 * `Retry-After` header in the step's `headers`, while the batch itself answers 200. A throttled step is not
	 * executed, and steps that depend on it get 424.
	 */
	throttleBatchSteps(fault: BatchStepThrottle): void;
	/** Latency added to every response, in milliseconds. @default 0 */
	latencyMs: number;
	/**
	 * Requests held by a `hang` fault whose connection the client has not closed yet. A client that gives up on a
	 * request (a timeout, an abort) should close its connection, which brings this down.
	 */
	readonly hanging: number;
	/** Resolves once {@link FakeGraph.hanging} is 0: every client has closed the connection of its hanging request. */
	untilNoneHanging(): Promise<void>;
	/** Stops the server and drops open connections, hanging ones included. */
	close(): Promise<void>;
}
