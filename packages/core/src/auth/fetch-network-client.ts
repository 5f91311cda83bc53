/**
 * A network client on the global `fetch`, as msal-node's default one, for the requests we send to
 * the identity platform ourselves (the device code flow): unlike msal-node's, it takes an
 * AbortSignal, so a cancelled sign-in leaves no request running.
 */

import type { NetworkClient } from "./msal-client.js";

type Answer<T> = { headers: Record<string, string>; body: T; status: number };
type Options = { headers?: Record<string, string>; body?: string };

export interface FetchNetworkClient extends NetworkClient {
	/** A POST that `signal` cancels. */
	post<T = Record<string, unknown>>(
		url: string,
		options: Options,
		signal: AbortSignal | undefined,
	): Promise<Answer<T>>;
}

async function send<T>(url: string, init: RequestInit): Promise<Answer<T>> {
	const response = await fetch(url, init);
	const text = await response.text();
	let body: unknown = {};
	try {
		body = text === "" ? {} : JSON.parse(text);
	} catch {
		body = {}; // not JSON (a proxy's error page): the status tells what happened
	}
	return { status: response.status, headers: Object.fromEntries(response.headers), body: body as T };
}

const client: FetchNetworkClient = {
	sendGetRequestAsync: (url, options, timeout) =>
		send(url, {
			method: "GET",
			headers: options?.headers ?? {},
			...(timeout === undefined ? {} : { signal: AbortSignal.timeout(timeout) }),
		}),
	sendPostRequestAsync: (url, options) => client.post(url, options ?? {}, undefined),
	post: (url, options, signal) =>
		send(url, {
			method: "POST",
			headers: options.headers ?? {},
			body: options.body ?? "",
			...(signal === undefined ? {} : { signal }),
		}),
};

export function fetchNetworkClient(): FetchNetworkClient {
	return client;
}
