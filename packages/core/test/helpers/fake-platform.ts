import {
	type FakeIdentityPlatform,
	type FakeIdentityPlatformOptions,
	startFakeIdentityPlatform,
} from "@o365/testkit";
import { afterAll, beforeAll } from "vitest";

export const WEB_APP = { clientId: "web-app-id", clientSecret: "web-app-secret-value-1234" };
export const PUBLIC_APP = { clientId: "public-app-id" };
export const DAEMON = { clientId: "daemon-app-id", clientSecret: "daemon-secret-value-5678" };
export const REDIRECT_URI = "http://localhost:5173/callback";

/** Starts one fake identity platform for the file, with a web app, a public app, a daemon and two users. */
export function useFakePlatform(options: FakeIdentityPlatformOptions = {}): () => FakeIdentityPlatform {
	let platform: FakeIdentityPlatform | undefined;
	beforeAll(async () => {
		platform = await startFakeIdentityPlatform({
			...options,
			clients: [
				{ clientId: WEB_APP.clientId, clientSecret: WEB_APP.clientSecret, redirectUris: [REDIRECT_URI] },
				{ clientId: PUBLIC_APP.clientId, isPublic: true, redirectUris: [REDIRECT_URI, "http://localhost"] },
				{ clientId: DAEMON.clientId, clientSecret: DAEMON.clientSecret },
				...(options.clients ?? []),
			],
			users: [
				{ username: "adele@contoso.test", name: "Adele Vance" },
				{ username: "megan@contoso.test", name: "Megan Bowen" },
				...(options.users ?? []),
			],
		});
	});
	afterAll(async () => {
		await platform?.close();
	});
	return () => {
		if (platform === undefined) throw new Error("the fake identity platform has not started");
		return platform;
	};
}
