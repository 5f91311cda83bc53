/**
 * Shared fixtures: msal-node applications wired to a fake, and the redaction check every suite runs.
 */
import {
	ConfidentialClientApplication,
	type Configuration,
	CryptoProvider,
	PublicClientApplication,
} from "@azure/msal-node";
import { expect } from "vitest";
import type { FakeIdentityPlatform } from "../src/index.js";

export const GRAPH_USER_READ = "https://graph.microsoft.com/User.Read";
export const GRAPH_DEFAULT = "https://graph.microsoft.com/.default";

type AuthOptions = Omit<
	Configuration["auth"],
	"clientId" | "authority" | "knownAuthorities" | "authorityMetadata"
>;

/** A confidential client configured as the spec (§4) recommends. */
export function confidentialApp(
	idp: FakeIdentityPlatform,
	clientId: string,
	auth: AuthOptions,
): ConfidentialClientApplication {
	return new ConfidentialClientApplication({ auth: { clientId, ...idp.msalConfig(), ...auth } });
}

export function publicApp(idp: FakeIdentityPlatform, clientId: string): PublicClientApplication {
	return new PublicClientApplication({ auth: { clientId, ...idp.msalConfig() } });
}

export const crypto = new CryptoProvider();

/** Values that must never appear in the request log. */
const SECRET_FIELDS = [
	"client_secret",
	"client_assertion",
	"code",
	"code_verifier",
	"refresh_token",
	"password",
	"fake_password",
];

/** Every secret-bearing parameter in the log is redacted, and none of `secrets` appears anywhere in it. */
export function expectNoSecretsRecorded(idp: FakeIdentityPlatform, secrets: readonly string[] = []): void {
	for (const request of idp.requests) {
		for (const params of [request.query, request.form]) {
			for (const field of SECRET_FIELDS) {
				if (field in params) expect(params[field], `${request.path} ${field}`).toBe("[redacted]");
			}
		}
	}
	const log = JSON.stringify(idp.requests);
	for (const secret of secrets) expect(log.includes(secret), "a secret appears in idp.requests").toBe(false);
}

/** Signs the default (or named) user in to a public client through the fake browser, as a native app would. */
export async function signInPublicClient(
	idp: FakeIdentityPlatform,
	app: PublicClientApplication,
	options: { username?: string; scopes?: string[] } = {},
) {
	const scopes = options.scopes ?? [GRAPH_USER_READ];
	const pkce = await crypto.generatePkceCodes();
	const redirectUri = "http://localhost:8400";
	const url = await app.getAuthCodeUrl({
		scopes,
		redirectUri,
		codeChallenge: pkce.challenge,
		codeChallengeMethod: "S256",
	});
	const redirected = new URL(
		await idp.browser.signIn(url, options.username ? { username: options.username } : {}),
	);
	const code = redirected.searchParams.get("code");
	if (!code) throw new Error(`sign-in failed: ${redirected.searchParams.get("error_description")}`);
	const result = await app.acquireTokenByCode({ code, scopes, redirectUri, codeVerifier: pkce.verifier });
	if (!result.account) throw new Error("no account after sign-in");
	return { ...result, account: result.account };
}

/** The refresh token msal-node holds for the (single) account in its cache. */
export function cachedRefreshToken(app: PublicClientApplication | ConfidentialClientApplication): string {
	const cache = JSON.parse(app.getTokenCache().serialize()) as {
		RefreshToken: Record<string, { secret: string }>;
	};
	const [entry] = Object.values(cache.RefreshToken);
	if (!entry) throw new Error("no refresh token in the cache");
	return entry.secret;
}
