/**
 * Starts the web app on a port: the identity platform (real or fake) first, then the HTTP server.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createWebApp } from "./app.js";
import { type Identity, setUpIdentity } from "./identity.js";
import { MemoryUserTokenStore, type UserTokenStore } from "./user-tokens.js";

export interface StartWebAppOptions {
	/** O365_* variables (real Entra when O365_CLIENT_ID is set) and SESSION_SECRET. @default process.env */
	env?: NodeJS.ProcessEnv;
	/** Port on 127.0.0.1; 0 picks a free one. @default 3000 */
	port?: number;
	/** Where each user's tokens live. @default a MemoryUserTokenStore */
	tokens?: UserTokenStore;
}

export interface RunningWebApp {
	/** `http://localhost:<port>`: the browser must use this host, the one in the redirect URI (its cookie's site). */
	url: string;
	identity: Identity;
	close(): Promise<void>;
}

export async function startWebApp(options: StartWebAppOptions = {}): Promise<RunningWebApp> {
	const env = options.env ?? process.env;
	const server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(options.port ?? 3000, "127.0.0.1", resolve);
	});
	const url = `http://localhost:${(server.address() as AddressInfo).port}`;
	let identity: Identity;
	try {
		identity = await setUpIdentity(env, `${url}/callback`);
	} catch (error) {
		server.close();
		throw error;
	}
	const app = createWebApp({
		credentials: identity.credentials,
		accountOptions: identity.accountOptions,
		redirectUri: identity.redirectUri,
		tokens: options.tokens ?? new MemoryUserTokenStore(),
		...(env.SESSION_SECRET ? { sessionSecret: env.SESSION_SECRET } : {}),
	});
	server.on("request", app);
	return {
		url,
		identity,
		close: async () => {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			await identity.close();
		},
	};
}
