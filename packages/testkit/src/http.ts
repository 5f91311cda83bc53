/**
 * Small HTTP helpers: request bodies, form parsing, and the reply shape route handlers return.
 */
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TestkitError } from "./errors.js";

/** Largest request body accepted, in bytes (token requests are a few kilobytes). */
const MAX_BODY_BYTES = 1024 * 1024;

/** What a route handler answers; the server writes it and records the request. */
export interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string;
	/** OAuth `error` carried by the reply (JSON body, redirect or page), for the request log. */
	error?: string;
	grantType?: string;
	clientId?: string;
}

/** What a route handler gets. */
export interface RouteRequest {
	method: string;
	/** The tenant path segment, as sent. */
	tenant: string;
	query: Record<string, string>;
	form: Record<string, string>;
	/** The `Accept` header: `text/html` marks a real browser (the sign-in page). */
	accept?: string;
}

/** Starts `server` on `127.0.0.1:<free port>` and resolves with its origin; `name` names the fake in the error. */
export async function listenOnLoopback(server: Server, name: string): Promise<string> {
	await new Promise<void>((resolve, reject) => {
		server.once("error", (cause) =>
			reject(
				new TestkitError("invalid_options", `${name} could not listen on 127.0.0.1: ${cause.message}`, {
					cause,
				}),
			),
		);
		server.listen(0, "127.0.0.1", resolve);
	});
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stops `server`, dropping open connections: msal's keep-alive ones, and the fakes' hanging or delayed ones. */
export function closeServer(server: Server): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		server.close((error) => (error ? reject(error) : resolve()));
		server.closeAllConnections();
	});
}

export function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on("data", (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				request.destroy();
				reject(new RangeError("request body too large"));
				return;
			}
			chunks.push(chunk);
		});
		request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
		request.on("error", reject);
	});
}

/** Parameters as a plain record; for a repeated name the first value wins. */
export function toRecord(params: URLSearchParams): Record<string, string> {
	const record: Record<string, string> = {};
	for (const [name, value] of params) if (!(name in record)) record[name] = value;
	return record;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
	return {
		status,
		// Entra marks every token response uncacheable.
		headers: {
			"Content-Type": "application/json; charset=utf-8",
			"Cache-Control": "no-store",
			Pragma: "no-cache",
			...headers,
		},
		body: JSON.stringify(body),
	};
}

export function html(status: number, body: string): Reply {
	return {
		status,
		headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
		body,
	};
}

export function redirect(location: string): Reply {
	return { status: 302, headers: { Location: location, "Cache-Control": "no-store" }, body: "" };
}

/** Parses JSON text into an object; `undefined` when it is not a JSON object (arrays and primitives included). */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(text);
		return typeof value === "object" && value !== null && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

export function escapeHtml(value: string): string {
	return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
