import { Account, MemoryTokenBackend, O365Error } from "@o365/core";
import { createTestCertificate } from "@o365/testkit";
import { describe, expect, it } from "vitest";
import { DAEMON, REDIRECT_URI, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";

const certificate = createTestCertificate();
const platform = useFakePlatform({
	clients: [{ clientId: "leak-cert-app", certificates: [{ certificate: certificate.certificate }] }],
});

/** Everything an error exposes: message, stack, enumerable fields, and its causes' messages. */
function everythingIn(error: unknown): string {
	const parts: string[] = [];
	let current: unknown = error;
	for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
		parts.push(current.message, current.stack ?? "", JSON.stringify(current));
		current = current.cause;
	}
	return parts.join("\n");
}

describe("no token, secret or key in any error", () => {
	it("across the failure paths of every flow", async () => {
		const idp = platform();
		const backend = new MemoryTokenBackend();
		const options = { tenantId: idp.tenantId, redirectUri: REDIRECT_URI, ...idp.msalConfig() };
		const errors: unknown[] = [];
		const collect = (promise: Promise<unknown>) =>
			promise.then(
				() => {
					throw new Error("expected a failure");
				},
				(error: unknown) => errors.push(error),
			);

		// a signed-in user whose tokens are then in the backend
		const account = new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
			...options,
			tokenBackend: backend,
		});
		const { url, flow } = await account.getAuthorizationUrl(["basic"]);
		const redirected = await idp.browser.signIn(url);
		await account.requestToken(redirected, { flow });
		await account.con.getAccessToken();

		await collect(account.requestToken(redirected, { flow })); // code replay
		await collect(account.requestToken(redirected, { flow: { ...flow, state: "other" } })); // state mismatch
		idp.revokeRefreshTokens();
		await collect(account.con.refreshToken()); // revoked refresh token
		await collect(
			new Account([WEB_APP.clientId, "wrong-secret-1"], options).requestToken(redirected, { flow }),
		);
		await collect(
			new Account([DAEMON.clientId, "wrong-secret-2"], {
				...options,
				authFlowType: "credentials",
			}).authenticate(),
		);
		const stranger = createTestCertificate();
		await collect(
			new Account(
				["leak-cert-app", { thumbprint: certificate.thumbprintSha256, privateKey: stranger.privateKey }],
				{
					...options,
					authFlowType: "credentials",
				},
			).authenticate(),
		);
		idp.failNext({ status: 500, error: "server_error", errorDescription: "boom" });
		await collect(
			new Account([DAEMON.clientId, DAEMON.clientSecret], {
				...options,
				authFlowType: "credentials",
			}).authenticate(),
		);

		expect(errors).toHaveLength(7);
		const secrets = [
			WEB_APP.clientSecret,
			DAEMON.clientSecret,
			"wrong-secret-1",
			"wrong-secret-2",
			flow.codeVerifier,
			new URL(redirected).searchParams.get("code") as string,
			certificate.privateKey.split("\n")[1] as string,
			stranger.privateKey.split("\n")[1] as string,
			...Object.values(backend.cache.AccessToken).map((entry) => entry.secret),
			...Object.values(backend.cache.RefreshToken).map((entry) => entry.secret),
			...Object.values(backend.cache.IdToken).map((entry) => entry.secret),
		];
		for (const error of errors) {
			expect(error).toBeInstanceOf(O365Error);
			const text = everythingIn(error);
			for (const secret of secrets) expect(text).not.toContain(secret);
			expect(text).not.toMatch(/Bearer ey/);
		}
	});
});
