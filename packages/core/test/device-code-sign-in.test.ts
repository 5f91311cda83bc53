import { PassThrough } from "node:stream";
import { inspect } from "node:util";
import { Account, type DeviceCodeInfo, MemoryTokenBackend } from "@o365/core";
import { createTestCertificate } from "@o365/testkit";
import { describe, expect, it, vi } from "vitest";
import { PUBLIC_APP, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";

const GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const certificate = createTestCertificate({ subject: "o365-device-code-tests" });
const platform = useFakePlatform({
	deviceCodeInterval: 0.05,
	clients: [{ clientId: "cert-web-app", certificates: [{ certificate: certificate.certificate }] }],
});

function account(kind: "public" | "authorization" = "public", backend = new MemoryTokenBackend()) {
	const idp = platform();
	const options = { tenantId: idp.tenantId, tokenBackend: backend, ...idp.msalConfig() };
	return kind === "public"
		? new Account(PUBLIC_APP.clientId, { ...options, authFlowType: "public" })
		: new Account([WEB_APP.clientId, WEB_APP.clientSecret], options);
}

/** Polls of the device code grant the fake has seen so far. */
const polls = () => platform().tokenRequests(GRANT).length;

/** A bound for waiting on polls: generous, as a loaded CI machine may take a second per request. */
const UNTIL_POLLED = { timeout: 15_000, interval: 10 };

/**
 * Call once the sign-in has settled: a poll already on the wire may still reach the fake, but no
 * new one may start. Waits ten poll intervals (50 ms each) and allows at most that one late arrival.
 */
async function expectNoFurtherPolls(): Promise<void> {
	const settledAt = polls();
	await new Promise((resolve) => setTimeout(resolve, 500));
	expect(polls()).toBeLessThanOrEqual(settledAt + 1);
}

/**
 * Watches the timers set from now on with one of `delays` (milliseconds): `pending` holds those
 * neither fired nor cleared yet. Timers of other delays (the HTTP client's, say) are not watched.
 */
function watchTimers(...delays: number[]) {
	const pending = new Set<NodeJS.Timeout>();
	const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
	const set = vi.spyOn(globalThis, "setTimeout").mockImplementation(((
		callback: (...args: unknown[]) => void,
		ms?: number,
		...args: unknown[]
	) => {
		if (!delays.includes(ms ?? 0)) return realSet(callback, ms, ...args);
		const timer = realSet(() => {
			pending.delete(timer);
			callback(...args);
		}, ms);
		pending.add(timer);
		return timer;
	}) as typeof setTimeout);
	const clear = vi.spyOn(globalThis, "clearTimeout").mockImplementation((timer) => {
		pending.delete(timer as NodeJS.Timeout);
		realClear(timer);
	});
	return {
		pending,
		restore() {
			set.mockRestore();
			clear.mockRestore();
		},
	};
}

describe("authenticate({ method: 'deviceCode' })", () => {
	it.each(["public", "authorization"] as const)(
		"signs a user in (%s flow), stores the token, and the account refreshes silently afterwards",
		async (kind) => {
			const backend = new MemoryTokenBackend();
			const signingIn = account(kind, backend);
			const infos: DeviceCodeInfo[] = [];
			const signedIn = await signingIn.authenticate({
				scopes: ["basic"],
				method: "deviceCode",
				onDeviceCode: (info) => {
					infos.push(info);
					return platform().browser.completeDeviceCode(info.userCode, { username: "megan@contoso.test" });
				},
			});
			expect(signedIn).toBe(true);
			expect(signingIn.username).toBe("megan@contoso.test");
			expect(infos).toHaveLength(1);
			expect(await backend.loadToken()).toBe(true);
			// a new Account on the same backend refreshes silently with the stored refresh token
			const later = account(kind, backend);
			platform().clearRequests();
			await later.con.refreshToken();
			expect(platform().tokenRequests("refresh_token")).toHaveLength(1);
			expect(platform().verifyAccessToken(await later.con.getAccessToken())?.preferred_username).toBe(
				"megan@contoso.test",
			);
			if (kind === "authorization") {
				expect(platform().tokenRequests("refresh_token")[0]?.form.client_secret).toBe("[redacted]");
			}
		},
	);

	it("authenticates a certificate app's polls with client assertions msal-node signs", async () => {
		const idp = platform();
		const certApp = new Account(
			["cert-web-app", { thumbprint: certificate.thumbprintSha256, privateKey: certificate.privateKey }],
			{ tenantId: idp.tenantId, ...idp.msalConfig() },
		);
		const before = polls();
		let approved = false;
		await certApp.authenticate({
			scopes: "basic",
			method: "deviceCode",
			onDeviceCode: (info) => {
				// approved after the first poll, so both a refused and an accepted poll are authenticated
				void vi
					.waitFor(() => expect(polls()).toBeGreaterThan(before), UNTIL_POLLED)
					.then(
						() => {
							approved = true;
							idp.approveDeviceCode(info.userCode);
						},
						() => {}, // never polled: the sign-in then runs into its timeout, which fails the test
					);
			},
		});
		expect(approved).toBe(true);
		const mine = idp.tokenRequests(GRANT).slice(before);
		expect(mine.length).toBeGreaterThanOrEqual(2);
		for (const poll of mine) {
			expect(poll.form.client_assertion_type).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
			expect(poll.clientAssertionHeader).toMatchObject({ alg: "PS256" });
			expect(poll.form).not.toHaveProperty("redirect_uri");
			expect(poll.form).not.toHaveProperty("code");
		}
		expect(certApp.username).toBe("adele@contoso.test");
	});

	it("gives onDeviceCode the code, the URL, the expiry, the interval and a one-line message", async () => {
		let info: DeviceCodeInfo | undefined;
		const before = Date.now();
		await account().authenticate({
			scopes: "basic",
			method: "deviceCode",
			onDeviceCode: (shown) => {
				info = shown;
				platform().approveDeviceCode(shown.userCode);
			},
		});
		expect(info).toMatchObject({ verificationUri: `${platform().origin}/devicelogin`, interval: 0.05 });
		expect(info?.userCode).toMatch(/^[A-Z0-9]{9}$/);
		expect(info?.expiresOn.getTime()).toBeGreaterThanOrEqual(before + 899_000);
		expect(info?.message).toBe(
			`To sign in, open ${platform().origin}/devicelogin and enter the code ${info?.userCode} (expires at ${info?.expiresOn.toISOString().slice(11, 16)} UTC).`,
		);
	});

	it("writes the message to `output` by default", async () => {
		const output = new PassThrough();
		let printed = "";
		output.on("data", (chunk: Buffer) => {
			printed += chunk.toString();
			const code = /enter the code (\w+)/.exec(printed)?.[1];
			if (code) platform().approveDeviceCode(code);
		});
		expect(await account().authenticate({ scopes: "basic", method: "deviceCode", output })).toBe(true);
		expect(printed).toMatch(
			/^To sign in, open http:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code \w+ \(expires at \d\d:\d\d UTC\)\.\n$/,
		);
	});

	it("keeps polling while the user has not answered, then signs in", async () => {
		const before = polls();
		let userCode = "";
		const signingIn = account().authenticate({
			scopes: "basic",
			method: "deviceCode",
			onDeviceCode: (info) => {
				userCode = info.userCode;
			},
		});
		await vi.waitFor(() => expect(polls()).toBeGreaterThanOrEqual(before + 3), UNTIL_POLLED);
		expect(
			platform()
				.tokenRequests(GRANT)
				.slice(before)
				.every((poll) => poll.error === "authorization_pending"),
		).toBe(true);
		platform().approveDeviceCode(userCode);
		expect(await signingIn).toBe(true);
	});

	it("backs off by five seconds after slow_down, without surfacing it", async () => {
		const controller = new AbortController();
		platform().failNext({ grantType: GRANT, error: "slow_down", errorDescription: "AADSTS70022: slow down" });
		const before = polls();
		const signingIn = account().authenticate({
			scopes: "basic",
			method: "deviceCode",
			signal: controller.signal,
			onDeviceCode: () => {},
		});
		await vi.waitFor(() => expect(polls()).toBe(before + 1), UNTIL_POLLED);
		expect(platform().tokenRequests(GRANT).at(-1)?.error).toBe("slow_down");
		// without the back-off, ten more polls would come in this time (interval 50 ms)
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(polls()).toBe(before + 1);
		controller.abort();
		await expect(signingIn).rejects.toMatchObject({ code: "aborted" });
	});

	it("rejects with authorization_denied when the user declines", async () => {
		const error = await account("authorization")
			.authenticate({
				scopes: "basic",
				method: "deviceCode",
				onDeviceCode: (info) => platform().browser.completeDeviceCode(info.userCode, { consent: false }),
			})
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ name: "AuthenticationError", code: "authorization_denied" });
		expect(error).toHaveProperty("providerError.error", "authorization_declined");
		expect(inspect(error, { depth: 10 })).not.toContain(WEB_APP.clientSecret);
		expect(inspect(error, { depth: 10 })).not.toMatch(/DAQABAAEAAA/); // the device code
	});

	it("rejects with consent_timeout when the code expires", async () => {
		platform().settings.deviceCodeLifetime = 0.12;
		try {
			const error = await account()
				.authenticate({ scopes: "basic", method: "deviceCode", onDeviceCode: () => {} })
				.catch((e: unknown) => e);
			expect(error).toMatchObject({ name: "AuthenticationError", code: "consent_timeout" });
			expect(error).toHaveProperty("providerError.error", "expired_token");
		} finally {
			platform().settings.deviceCodeLifetime = 900;
		}
	});

	it("gives up with consent_timeout after consentTimeoutMs, and polls no more", async () => {
		const error = await account()
			.authenticate({ scopes: "basic", method: "deviceCode", onDeviceCode: () => {}, consentTimeoutMs: 200 })
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ name: "AuthenticationError", code: "consent_timeout" });
		expect((error as Error).message).toContain("200 ms");
		await expectNoFurtherPolls();
	});

	it("stops at once when aborted mid-poll: no further poll, no timer left", async () => {
		const controller = new AbortController();
		const before = polls();
		const timers = watchTimers(50, 600_000); // the poll interval and the consent timeout
		try {
			const signingIn = account().authenticate({
				scopes: "basic",
				method: "deviceCode",
				signal: controller.signal,
				onDeviceCode: () => {},
				consentTimeoutMs: 600_000,
			});
			await vi.waitFor(() => expect(polls()).toBeGreaterThanOrEqual(before + 2), UNTIL_POLLED);
			expect(timers.pending.size).toBeGreaterThan(0); // at least the consent timeout's
			controller.abort(new Error("user pressed Ctrl+C"));
			await expect(signingIn).rejects.toMatchObject({ code: "aborted" });
			expect(timers.pending.size).toBe(0);
			await expectNoFurtherPolls();
		} finally {
			timers.restore();
		}
	});

	it("rejects an option of another method, and the credentials of the wrong flow", async () => {
		await expect(
			account().authenticate({ scopes: "basic", method: "deviceCode", port: 8400 }),
		).rejects.toMatchObject({ code: "invalid_option" });
		await expect(account().authenticate({ scopes: "basic", method: "fax" as never })).rejects.toMatchObject({
			code: "invalid_option",
		});
	});
});
