/**
 * The request log of the fake Graph, with the bearer token redacted before anything is stored.
 */
import { REDACTED } from "../recorder.js";
import type { RecordedGraphRequest } from "./types.js";

/** Header names whose values are credentials. */
const SECRET_HEADERS: ReadonlySet<string> = new Set(["authorization", "proxy-authorization", "cookie"]);

/** Lower-cased headers with credentials redacted; an `Authorization` keeps its scheme (`"Bearer [redacted]"`). */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
	const copy: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		const lower = name.toLowerCase();
		if (!SECRET_HEADERS.has(lower)) copy[lower] = value;
		else {
			const scheme = lower === "cookie" ? undefined : /^(\S+)\s/.exec(value)?.[1];
			copy[lower] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
		}
	}
	return copy;
}

export class GraphRecorder {
	readonly requests: RecordedGraphRequest[] = [];

	/** Stores a request on arrival, redacted, with status 0; the returned entry gets its status when answered. */
	start(entry: Omit<RecordedGraphRequest, "status">): RecordedGraphRequest {
		const recorded: RecordedGraphRequest = {
			...entry,
			query: { ...entry.query },
			headers: redactHeaders(entry.headers),
			status: 0,
		};
		this.requests.push(recorded);
		return recorded;
	}

	clear(): void {
		this.requests.length = 0;
	}
}
