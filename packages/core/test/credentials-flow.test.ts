import { Account, AuthenticationError, ConfigurationError, MemoryTokenBackend } from "@o365/core";
import { createTestCertificate } from "@o365/testkit";
import { beforeEach, describe, expect, it } from "vitest";
import { DAEMON, useFakePlatform } from "./helpers/fake-platform.js";

const certificate = createTestCertificate({ subject: "o365-core-tests" });
const otherKey = createTestCertificate({ subject: "someone-else" });
const platform = useFakePlatform({
	clients: [{ clientId: "cert-app-id", certificates: [{ certificate: certificate.certificate }] }],
});

function daemon(
	secret: string | Parameters<typeof certificateCredential>[0] = DAEMON.clientSecret,
	clientId = DAEMON.clientId,
) {
	const idp = platform();
	const credential = typeof secret === "string" ? secret : certificateCredential(secret);
	return new Account([clientId, credential], {
		authFlowType: "credentials",
		tenantId: idp.tenantId,
		tokenBackend: new MemoryTokenBackend(),
		...idp.msalConfig(),
	});
}

function certificateCredential(kind: { sha: "1" | "256"; key?: string; x5c?: boolean }) {
	return {
		...(kind.sha === "1"
			? { thumbprint: certificate.thumbprintSha1 }
			: { thumbprint: certificate.thumbprintSha256 }),
		privateKey: kind.key ?? certificate.privateKey,
		...(kind.x5c ? { x5c: certificate.certificate } : {}),
	};
}

describe("client-credentials flow (the app itself)", () => {
	beforeEach(() => platform().clearRequests());

	it("signs the app in with a secret, without scopes or interaction", async () => {
		const account = daemon();
		expect(account.mainResource).toBe("");
		expect(await account.authenticate()).toBe(true);
		const grants = platform().tokenRequests("client_credentials");
		expect(grants).toHaveLength(1);
		expect(grants[0]?.form.scope).toBe("https://graph.microsoft.com/.default");
		const claims = platform().verifyAccessToken(await account.con.getAccessToken());
		expect(claims?.appid ?? claims?.azp).toBe(DAEMON.clientId);
	});

	it.each([
		["SHA-1 thumbprint (RS256, x5t)", { sha: "1" as const, x5c: false }],
		["SHA-256 thumbprint (PS256, x5t#S256)", { sha: "256" as const, x5c: false }],
		["SHA-256 thumbprint with an x5c chain", { sha: "256" as const, x5c: true }],
	])("signs the app in with a certificate: %s", async (_name, kind) => {
		const account = daemon(kind, "cert-app-id");
		expect(await account.authenticate()).toBe(true);
		const grant = platform().tokenRequests("client_credentials")[0];
		expect(grant?.form.client_assertion_type).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		// The fake verifies alg against the thumbprint field, the thumbprint against the registered certificate and
		// x5c against it; the header shows the assertion was signed the way this case names.
		const hex = kind.sha === "1" ? certificate.thumbprintSha1 : certificate.thumbprintSha256;
		expect(grant?.clientAssertionHeader).toEqual({
			alg: kind.sha === "1" ? "RS256" : "PS256",
			typ: "JWT",
			[kind.sha === "1" ? "x5t" : "x5t#S256"]: Buffer.from(hex, "hex").toString("base64url"),
			...(kind.x5c ? { x5c: [certificate.x5c] } : {}),
		});
		expect(platform().verifyAccessToken(await account.con.getAccessToken())).toBeDefined();
	});

	it("rejects an assertion signed with the wrong private key", async () => {
		const account = daemon({ sha: "256", key: otherKey.privateKey }, "cert-app-id");
		const error = (await account.authenticate().catch((e: unknown) => e)) as AuthenticationError;
		expect(error).toBeInstanceOf(AuthenticationError);
		expect(error.code).toBe("token_request_failed");
		expect(error.providerError.error).toBe("invalid_client");
		expect(error.message).not.toContain("PRIVATE KEY");
	});

	it("rejects a wrong client secret", async () => {
		const error = (await daemon("wrong-secret")
			.authenticate()
			.catch((e: unknown) => e)) as AuthenticationError;
		expect(error.providerError.error).toBe("invalid_client");
		expect(error.message).not.toContain("wrong-secret");
	});

	it("re-acquires the app token once it has expired (python-o365 #1195 does not happen)", async () => {
		const account = daemon();
		await account.authenticate();
		const first = await account.con.getAccessToken();
		const backend = account.con.tokenBackend;
		const cache = JSON.parse(backend.serialize());
		for (const entry of Object.values(cache.AccessToken) as { expires_on: string }[]) {
			entry.expires_on = String(Math.floor(Date.now() / 1000) - 60);
		}
		backend.deserialize(JSON.stringify(cache));
		const restarted = new Account([DAEMON.clientId, DAEMON.clientSecret], {
			authFlowType: "credentials",
			tenantId: platform().tenantId,
			tokenBackend: backend,
			...platform().msalConfig(),
		});
		platform().clearRequests();
		const second = await restarted.con.getAccessToken();
		expect(second).not.toBe(first);
		expect(platform().tokenRequests("client_credentials")).toHaveLength(1);
		expect(platform().verifyAccessToken(second)).toBeDefined();
	});

	it("gets a new app token when the lifetime is too short to cache (one request per expiry)", async () => {
		platform().settings.accessTokenLifetime = 200; // under msal's 5-minute renewal window
		try {
			const account = daemon();
			const tokens = await Promise.all(Array.from({ length: 50 }, () => account.con.getAccessToken()));
			expect(new Set(tokens).size).toBe(1);
			expect(platform().tokenRequests("client_credentials")).toHaveLength(1);
			await account.con.getAccessToken();
			expect(platform().tokenRequests("client_credentials")).toHaveLength(2);
		} finally {
			platform().settings.accessTokenLifetime = 3600;
		}
	});

	it("takes only the protocol's .default scope", async () => {
		const account = daemon();
		await expect(account.requestToken(null, { requestedScopes: ["Mail.Read"] })).rejects.toMatchObject({
			name: "ConfigurationError",
			code: "invalid_scopes",
		});
		expect(platform().requests).toHaveLength(0);
	});

	it("refuses 'common' as the tenant at construction", () => {
		expect(
			() => new Account([DAEMON.clientId, DAEMON.clientSecret], { authFlowType: "credentials" }),
		).toThrow(ConfigurationError);
		expect(
			() =>
				new Account([DAEMON.clientId, DAEMON.clientSecret], {
					authFlowType: "credentials",
					tenantId: "common",
				}),
		).toThrow(
			/tenantId is required for the credentials flow; pass your directory \(tenant\) id, not 'common'/,
		);
	});
});
