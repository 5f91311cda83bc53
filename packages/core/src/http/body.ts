/**
 * Request bodies: plain objects and arrays become JSON (python-o365's `data=`); strings, bytes,
 * Blobs, form data and streams are sent as they are. A stream can be read once only, so a request
 * carrying one is never retried.
 */

import { nodeStream } from "../utils/builtins.js";

/** What a request may carry. Objects and arrays are sent as JSON. */
export type RequestBody =
	| string
	| Uint8Array
	| ArrayBuffer
	| Blob
	| URLSearchParams
	| FormData
	| ReadableStream<Uint8Array>
	| NodeJS.ReadableStream
	| Record<string, unknown>
	| readonly unknown[]
	| null
	| undefined;

export interface EncodedBody {
	/** What fetch sends. */
	body: RequestInit["body"];
	/** `application/json` for JSON, else `undefined` (fetch or the caller decides). */
	contentType: string | undefined;
	/** False for a one-shot stream: the request cannot be sent a second time. */
	replayable: boolean;
	/** True when fetch needs `duplex: "half"` (a stream body). */
	stream: boolean;
}

const NONE: EncodedBody = { body: undefined, contentType: undefined, replayable: true, stream: false };

export function encodeBody(data: RequestBody): EncodedBody {
	if (data === undefined || data === null) return NONE;
	if (
		typeof data === "string" ||
		data instanceof Uint8Array ||
		data instanceof ArrayBuffer ||
		ArrayBuffer.isView(data) ||
		data instanceof Blob ||
		data instanceof URLSearchParams ||
		data instanceof FormData
	) {
		return { body: data as RequestInit["body"], contentType: undefined, replayable: true, stream: false };
	}
	if (data instanceof ReadableStream) {
		return { body: data, contentType: undefined, replayable: false, stream: true };
	}
	if (isNodeStream(data)) {
		const { Readable } = nodeStream();
		const readable = data instanceof Readable ? data : Readable.from(data as AsyncIterable<Uint8Array>);
		const web = Readable.toWeb(readable) as unknown as ReadableStream<Uint8Array>;
		return { body: web, contentType: undefined, replayable: false, stream: true };
	}
	return { body: JSON.stringify(data), contentType: "application/json", replayable: true, stream: false };
}

/** A Node `Readable` (from any copy of the `stream` module): duck-typed, so plain objects cost no import. */
function isNodeStream(value: object): boolean {
	return typeof (value as { pipe?: unknown }).pipe === "function" && Symbol.asyncIterator in value;
}
