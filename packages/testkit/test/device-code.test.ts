import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeIdentityPlatform, startFakeIdentityPlatform, TestkitError } from "../src/index.js";
import { expectNoSecretsRecorded, GRAPH_USER_READ, publicApp } from "./helpers.js";

const GRANT = "urn:ietf:params:oauth:grant-type:device_code";
let idp: FakeIdentityPlatform;

beforeAll(async () => {
	idp = await startFakeIdentityPlatform({
		deviceCodeInterval: 0.05,
		clients: [
			{ clientId: "native", redirectUris: ["http://localhost"] },
			{ clientId: "web", clientSecret: "web-secret-1234", redirectUris: ["http://localhost"] },
		],
		users: [
			{ username: "adele@contoso.test", name: "Adele Vance" },
			{ username: "megan@contoso.test", password: "pw-megan" },
		],
	});
});

afterAll(async () => {
	expectNoSecretsRecorded(idp, ["web-secret-1234", "pw-megan"]);
	await idp.close();
});

async function post(path: string, fields: Record<string, string>) {
	const response = await fetch(`${idp.origin}/${idp.tenantId}/oauth2/v2.0/${path}`, {
		method: "POST",
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams(fields),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function deviceCode(clientId = "native") {
	const { status, body } = await post("devicecode", {
		client_id: clientId,
		scope: `${GRAPH_USER_READ} openid profile offline_access`,
	});
	expect(status).toBe(200);
	return body as {
		device_code: string;
		user_code: string;
		verification_uri: string;
		expires_in: number;
		interval: number;
		message: string;
	};
}

const poll = (code: string, extra: Record<string, string> = {}) =>
	post("token", { client_id: "native", grant_type: GRANT, device_code: code, ...extra });

/** Waits past the polling interval, so the next poll is not a slow_down. */
/** Waits out a code's polling interval (the fake's clock is the wall clock), in seconds. @default 0.05 */
const pastInterval = (seconds = 0.05) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 10));

describe("device code flow", () => {
	it("issues a code with Entra's fields and lists it as pending", async () => {
		const code = await deviceCode();
		expect(code).toMatchObject({
			verification_uri: `${idp.origin}/devicelogin`,
			expires_in: 900,
			interval: 0.05,
		});
		expect(code.user_code).toMatch(/^[A-Z0-9]{9}$/);
		expect(code.message).toContain(code.user_code);
		expect(idp.pendingDeviceCodes()).toContainEqual({
			userCode: code.user_code,
			clientId: "native",
			scopes: [GRAPH_USER_READ, "openid", "profile", "offline_access"],
		});
	});

	it("refuses an unknown client and a missing scope", async () => {
		expect((await post("devicecode", { client_id: "nobody", scope: "openid" })).body.error).toBe(
			"unauthorized_client",
		);
		expect((await post("devicecode", { client_id: "native" })).body.error).toBe("invalid_request");
	});

	it("answers authorization_pending, then slow_down when polled too fast, then the user's tokens once approved", async () => {
		// A 1 s interval for this code: two polls in a row land within it even on a loaded machine.
		idp.settings.deviceCodeInterval = 1;
		const code = await deviceCode().finally(() => {
			idp.settings.deviceCodeInterval = 0.05;
		});
		expect((await poll(code.device_code)).body.error).toBe("authorization_pending");
		expect((await poll(code.device_code)).body.error).toBe("slow_down");
		idp.approveDeviceCode(code.user_code, { username: "adele@contoso.test" });
		await pastInterval(1);
		const { status, body } = await poll(code.device_code, {
			client_info: "1",
			scope: `${GRAPH_USER_READ} openid offline_access`,
		});
		expect(status).toBe(200);
		expect(body).toHaveProperty("refresh_token");
		expect(body).toHaveProperty("id_token");
		expect(body).toHaveProperty("client_info");
		expect(idp.verifyAccessToken(body.access_token as string)?.preferred_username).toBe("adele@contoso.test");
		await pastInterval(1);
		expect((await poll(code.device_code)).body.error).toBe("invalid_grant"); // single use
		expect(idp.pendingDeviceCodes().some((entry) => entry.userCode === code.user_code)).toBe(false);
	});

	it("answers authorization_declined after the user declined", async () => {
		const code = await deviceCode();
		idp.declineDeviceCode(code.user_code);
		expect((await poll(code.device_code)).body.error).toBe("authorization_declined");
	});

	it("answers expired_token after the code's lifetime", async () => {
		idp.settings.deviceCodeLifetime = 0.05;
		try {
			const code = await deviceCode();
			await pastInterval();
			expect((await poll(code.device_code)).body.error).toBe("expired_token");
			expect(() => idp.approveDeviceCode(code.user_code)).toThrow(TestkitError);
		} finally {
			idp.settings.deviceCodeLifetime = 900;
		}
	});

	it("authenticates a confidential client's polls", async () => {
		const code = await deviceCode("web");
		idp.approveDeviceCode(code.user_code);
		const base = { client_id: "web", grant_type: GRANT, device_code: code.device_code };
		expect((await post("token", base)).body.error).toBe("invalid_client");
		await pastInterval();
		const { status } = await post("token", { ...base, client_secret: "web-secret-1234" });
		expect(status).toBe(200);
	});

	it("completes a code through the /devicelogin page, checking the password", async () => {
		const code = await deviceCode();
		await expect(
			idp.browser.completeDeviceCode(code.user_code, { username: "megan@contoso.test", password: "wrong" }),
		).rejects.toMatchObject({
			code: "browser_failed",
		});
		await idp.browser.completeDeviceCode(code.user_code.toLowerCase(), {
			username: "megan@contoso.test",
			password: "pw-megan",
		});
		const { body } = await poll(code.device_code, { scope: "openid" });
		expect(body.id_token).toBeDefined();
		await expect(idp.browser.completeDeviceCode(code.user_code)).rejects.toThrow(
			/unknown, expired or already used/,
		);
	});

	it("records a decline on the /devicelogin page", async () => {
		const code = await deviceCode();
		await idp.browser.completeDeviceCode(code.user_code, { consent: false });
		expect((await poll(code.device_code)).body.error).toBe("authorization_declined");
	});

	it("works with msal-node's own device code client", async () => {
		const app = publicApp(idp, "native");
		const result = await app.acquireTokenByDeviceCode({
			scopes: [GRAPH_USER_READ],
			deviceCodeCallback: (response) => {
				void idp.browser.completeDeviceCode(response.userCode, { username: "adele@contoso.test" });
			},
		});
		expect(result?.account?.username).toBe("adele@contoso.test");
		expect(idp.tokenRequests("device_code").at(-1)?.form.device_code).toBe("[redacted]");
	});
});

describe("browser.openBrowser with a query-mode loopback redirect", () => {
	it("delivers the redirect to the loopback server by GET, on any port of a registered http://localhost", async () => {
		const seen: string[] = [];
		const server = createServer((req, res) => {
			seen.push(req.url ?? "");
			res.writeHead(200).end("ok");
		});
		await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
		try {
			const port = (server.address() as AddressInfo).port;
			const app = publicApp(idp, "native");
			const url = await app.getAuthCodeUrl({
				scopes: [GRAPH_USER_READ],
				redirectUri: `http://localhost:${port}`,
				codeChallenge: "x".repeat(43),
				codeChallengeMethod: "S256",
				state: "the-state",
			});
			await idp.browser.openBrowser(url);
			expect(seen).toHaveLength(1);
			const params = new URLSearchParams(seen[0]?.split("?")[1]);
			expect(params.get("state")).toBe("the-state");
			expect(params.get("code")).toBeTruthy();
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});
});
