/**
 * Request bodies: plain objects and arrays become JSON (python-o365's `data=`); strings, bytes,
 * Blobs, form data and streams are sent as they are. A stream can be read once only, so a request
 * carrying one is never retried.
 */

import { O365Error } from "../errors.js";
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
	try {
		return encode(data);
	} catch (error) {
		if (error instanceof O365Error) throw error;
		throw new O365Error(
			"invalid_request",
			"reading the request data threw (see the cause); pass a plain object, an array, a string, bytes or a stream.",
			{ cause: error },
		);
	}
}

function encode(data: RequestBody): EncodedBody {
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
	return { body: toJson(data), contentType: "application/json", replayable: true, stream: false };
}

/** `data` as JSON, or a typed error for what JSON cannot carry (a bigint, a cycle, a getter that throws). */
function toJson(data: unknown): string {
	let json: string | undefined;
	try {
		json = JSON.stringify(data);
	} catch (error) {
		throw new O365Error(
			"invalid_request",
			"the request data could not be sent as JSON (see the cause); pass plain objects, arrays, strings, numbers and booleans, or a string, bytes or a stream.",
			{ cause: error },
		);
	}
	if (json === undefined) {
		throw new O365Error(
			"invalid_request",
			`the request data cannot be sent as JSON (it is ${typeof data === "symbol" ? "a Symbol" : `a ${typeof data}`}); pass an object, an array, a string, bytes or a stream.`,
		);
	}
	return json;
}

/** A Node `Readable` (from any copy of the `stream` module): duck-typed, so plain objects cost no import. */
function isNodeStream(value: object): boolean {
	return typeof (value as { pipe?: unknown }).pipe === "function" && Symbol.asyncIterator in value;
}
