/**
 * The local redirect server of the loopback sign-in: listens on 127.0.0.1 only, takes the one
 * redirect whose `state` is this sign-in's, and answers everything else without settling
 * (404 for other paths, 405 for other methods). The browser's page is answered once the
 * caller knows the outcome, so it tells the truth.
 */

import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AuthenticationError, O365Error } from "../errors.js";
import { defaultErrorPage } from "./loopback-pages.js";

export interface LoopbackServerOptions {
	/** 0 for a free port. */
	port: number;
	successPage: string;
	errorPage: (error: { error: string; description: string }) => string;
}

/** The redirect that arrived, and how to answer the browser waiting on it. */
export interface LoopbackRedirect {
	/** The full redirected URL (`http://localhost:<port>/?code=…&state=…`). */
	url: string;
	/** Shows the success page, or the error page for `error`. */
	finish(error?: { error: string; description: string }): void;
}

export interface LoopbackServer {
	/** `http://localhost:<port>`, Entra's loopback redirect URI. */
	readonly redirectUri: string;
	/** Resolves with the redirect carrying `state`; rejects with `state_mismatch` for a redirect with another. */
	waitForRedirect(state: string, signal: AbortSignal): Promise<LoopbackRedirect>;
	/** Stops listening and drops every connection (a browser's keep-alive too). */
	close(): Promise<void>;
}

export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
	const { createServer } = await import("node:http");
	let deliver: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
	const server: Server = createServer((request, response) => {
		const url = new URL(request.url ?? "/", "http://localhost");
		const page = (status: number, body: string) =>
			response
				.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" })
				.end(body);
		if (url.pathname !== "/")
			return page(404, defaultErrorPage({ error: "not_found", description: "Nothing here." }));
		if (request.method !== "GET") {
			response.setHeader("Allow", "GET");
			return page(
				405,
				defaultErrorPage({ error: "method_not_allowed", description: "Only GET is answered." }),
			);
		}
		if (!url.searchParams.has("code") && !url.searchParams.has("error")) {
			return page(
				400,
				defaultErrorPage({
					error: "invalid_request",
					description: "This page receives the sign-in's answer; none was given.",
				}),
			);
		}
		if (deliver === undefined)
			return page(409, defaultErrorPage({ error: "not_waiting", description: "No sign-in is waiting." }));
		deliver(request, response);
	});
	await new Promise<void>((resolve, reject) => {
		server.once("error", (cause) =>
			reject(
				new O365Error(
					"invalid_option",
					`the loopback sign-in could not listen on 127.0.0.1:${options.port} (${(cause as NodeJS.ErrnoException).code ?? cause.message}); pick another port, or 0 for a free one.`,
					{ cause },
				),
			),
		);
		server.listen(options.port, "127.0.0.1", resolve);
	});
	const port = (server.address() as AddressInfo).port;
	const redirectUri = `http://localhost:${port}`;
	let closed: Promise<void> | undefined;
	return {
		redirectUri,
		waitForRedirect: (state, signal) =>
			new Promise<LoopbackRedirect>((resolve, reject) => {
				if (signal.aborted) {
					reject(signal.reason);
					return;
				}
				const onAbort = () => reject(signal.reason);
				signal.addEventListener("abort", onAbort, { once: true });
				deliver = (request, response) => {
					const url = new URL(request.url ?? "/", redirectUri);
					const finish = (error?: { error: string; description: string }) => {
						const body = error === undefined ? options.successPage : options.errorPage(error);
						response.writeHead(error === undefined ? 200 : 400, {
							"Content-Type": "text/html; charset=utf-8",
							"Cache-Control": "no-store",
						});
						response.end(body);
					};
					deliver = undefined;
					signal.removeEventListener("abort", onAbort);
					if (url.searchParams.get("state") !== state) {
						const error = {
							error: "state_mismatch",
							description: "This answer does not belong to the sign-in in progress.",
						};
						finish(error);
						reject(
							new AuthenticationError(
								"state_mismatch",
								"the loopback redirect's state does not match this sign-in: it belongs to another sign-in or was forged. Call authenticate() again.",
							),
						);
						return;
					}
					resolve({ url: url.href, finish });
				};
			}),
		close: () => {
			closed ??= new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return closed;
		},
	};
}
