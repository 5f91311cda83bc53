/**
 * `GET /users/delta`: rounds of pages linked by `@odata.nextLink`, the last one carrying an `@odata.deltaLink`
 * whose `$deltatoken` remembers the directory as it was, so following it returns only what changed since.
 */
import { randomBytes } from "node:crypto";
import type { Directory } from "./directory.js";
import { select } from "./directory.js";
import {
	absoluteLink,
	decodeToken,
	encodeToken,
	odataContext,
	offsetOf,
	pageSizeOf,
	queryWithout,
} from "./paging.js";
import { badRequest, type GraphReply, type GraphRequest, graphJson } from "./replies.js";
import type { FakeGraphUser } from "./types.js";

/** Users by id, each as its JSON text, to tell changed users from unchanged ones. */
type Snapshot = ReadonlyMap<string, string>;

interface DeltaRound {
	/** What this round reports: changed or new users, and removed ones as `{id, "@removed"}`. */
	items: Array<FakeGraphUser | { id: string; "@removed": { reason: string } }>;
	/** The directory when the round started; becomes the state behind its delta token. */
	snapshot: Snapshot;
}

function snapshotOf(users: readonly FakeGraphUser[]): Snapshot {
	return new Map(users.map((user) => [user.id, JSON.stringify(user)]));
}

function newId(): string {
	return randomBytes(12).toString("base64url");
}

/** Delta rounds and tokens of one fake Graph. Kept for its lifetime, so a client may retry any page. */
export class DeltaTracker {
	private readonly rounds = new Map<string, DeltaRound>();
	private readonly tokens = new Map<string, Snapshot>();

	constructor(
		private readonly directory: Directory,
		private readonly origin: () => string,
		private readonly defaultPageSize: number,
	) {}

	handle(request: GraphRequest): GraphReply {
		const size = pageSizeOf(request, this.defaultPageSize);
		if (typeof size !== "number") return size;
		const skipToken = request.query.$skiptoken;
		const deltaToken = request.query.$deltatoken;
		if (skipToken !== undefined) {
			const token = decodeToken(skipToken);
			const roundId = token?.round;
			const offset = offsetOf(token);
			if (typeof roundId !== "string" || !this.rounds.has(roundId) || offset === undefined) {
				return badRequest(
					request,
					"The $skiptoken of this delta request is not valid.",
					"Request_BadRequest",
				);
			}
			return this.page(request, roundId, offset, size);
		}
		if (deltaToken === "latest") {
			return this.page(request, this.startRound(snapshotOf(this.directory.users), true), 0, size);
		}
		if (deltaToken !== undefined) {
			const since = this.tokens.get(deltaToken);
			if (!since) {
				return badRequest(
					request,
					"The $deltatoken of this request is not valid or has expired.",
					"Request_BadRequest",
				);
			}
			return this.page(request, this.startRound(since, false), 0, size);
		}
		return this.page(request, this.startRound(new Map(), false), 0, size);
	}

	/** Starts a round reporting the changes since `since`; `empty` reports nothing (`$deltatoken=latest`). */
	private startRound(since: Snapshot, empty: boolean): string {
		const users = this.directory.users;
		const snapshot = snapshotOf(users);
		const items: DeltaRound["items"] = [];
		if (!empty) {
			for (const user of users) if (since.get(user.id) !== snapshot.get(user.id)) items.push(user);
			for (const id of since.keys())
				if (!snapshot.has(id)) items.push({ id, "@removed": { reason: "deleted" } });
		}
		const roundId = newId();
		this.rounds.set(roundId, { items, snapshot });
		return roundId;
	}

	private page(request: GraphRequest, roundId: string, offset: number, size: number): GraphReply {
		const round = this.rounds.get(roundId);
		if (!round) throw new RangeError(`delta round ${roundId} is unknown`);
		const base = queryWithout(request, "$skiptoken", "$deltatoken");
		const end = offset + size;
		const body: Record<string, unknown> = { "@odata.context": odataContext(this.origin(), request, "users") };
		if (end < round.items.length) {
			body["@odata.nextLink"] = absoluteLink(this.origin(), request, "/users/delta", {
				...base,
				$skiptoken: encodeToken({ round: roundId, offset: end }),
			});
		} else {
			const token = newId();
			this.tokens.set(token, round.snapshot);
			body["@odata.deltaLink"] = absoluteLink(this.origin(), request, "/users/delta", {
				...base,
				$deltatoken: token,
			});
		}
		body.value = round.items
			.slice(offset, end)
			.map((item) => ("@removed" in item ? item : { ...select(item, request.query.$select), id: item.id }));
		return graphJson(200, body);
	}
}
