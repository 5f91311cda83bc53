import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLIENT_ID, cliEnv, configDirOf, o365, seedSignIn, USERNAME, useHomes, useKit } from "./helpers.js";

const kit = useKit();
const newHome = useHomes();

describe("o365 token", () => {
	it("prints the bare access token on stdout and nothing on stderr", async () => {
		const home = await newHome();
		await seedSignIn(kit(), home);
		const run = await o365(["token"], cliEnv(kit(), home));
		expect(run.stderr).toBe("");
		expect(run.code).toBe(0);
		const token = run.stdout.trimEnd();
		expect(run.stdout).toBe(`${token}\n`);
		const claims = kit().idp.verifyAccessToken(token);
		expect(claims?.preferred_username).toBe(USERNAME);
		expect(claims?.appid).toBe(CLIENT_ID);
	});

	it("prints az-compatible JSON with --json: ISO-8601 UTC expiresOn and epoch-seconds expires_on", async () => {
		const home = await newHome();
		await seedSignIn(kit(), home);
		const run = await o365(["token", "--json"], cliEnv(kit(), home));
		expect(run.code).toBe(0);
		const result = JSON.parse(run.stdout) as Record<string, unknown>;
		expect(Object.keys(result).sort()).toEqual(
			["accessToken", "expiresOn", "expires_on", "scopes", "tenant", "tokenType"].sort(),
		);
		expect(result.tokenType).toBe("Bearer");
		const claims = kit().idp.verifyAccessToken(String(result.accessToken));
		// msal-node stores now + expires_in, which may be a second off the token's own exp.
		expect(Math.abs(Number(result.expires_on) - Number(claims?.exp))).toBeLessThanOrEqual(5);
		expect(result.expiresOn).toBe(new Date(Number(result.expires_on) * 1000).toISOString());
		expect(String(result.expiresOn)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(result.tenant).toBe(kit().idp.tenantId);
		expect((result.scopes as string[]).some((scope) => /User\.Read$/i.test(scope))).toBe(true);
	});

	it("exits 4 naming `o365 login --scope …` when a --scope was not granted, and prints no token", async () => {
		const home = await newHome();
		await seedSignIn(kit(), home);
		const run = await o365(["token", "--scope", "Mail.Read"], cliEnv(kit(), home));
		expect(run.code).toBe(4);
		expect(run.stdout).toBe("");
		expect(run.stderr).toMatch(
			/^o365: .*Mail\.Read.*`o365 login --scope User\.Read --scope Mail\.Read`.* \(sign_in_required\)\n$/,
		);
		const granted = await o365(
			["token", "--scope", "https://graph.microsoft.com/user.read"],
			cliEnv(kit(), home),
		);
		expect(granted.code).toBe(0);
	});

	it("refreshes an expired access token with the stored refresh token", async () => {
		const home = await newHome();
		kit().idp.settings.accessTokenLifetime = 60; // below core's 301 s renewal margin: expired at once
		try {
			await seedSignIn(kit(), home);
			const before = kit().idp.tokenRequests("refresh_token").length;
			const run = await o365(["token"], cliEnv(kit(), home));
			expect(run.stderr).toBe("");
			expect(run.code).toBe(0);
			expect(kit().idp.verifyAccessToken(run.stdout.trim())).toBeDefined();
			expect(kit().idp.tokenRequests("refresh_token").length).toBe(before + 1);
		} finally {
			kit().idp.settings.accessTokenLifetime = 3600;
		}
	});

	it("exits 4 when the refresh token was revoked, telling to run `o365 login`", async () => {
		const home = await newHome();
		kit().idp.settings.accessTokenLifetime = 60;
		try {
			await seedSignIn(kit(), home);
			kit().idp.revokeRefreshTokens({ username: USERNAME });
			const run = await o365(["token"], cliEnv(kit(), home));
			expect(run.code).toBe(4);
			expect(run.stdout).toBe("");
			expect(run.stderr).toMatch(/^o365: .*`o365 login`.* \(sign_in_required\)\n$/);
			expect(run.stderr.split("\n")).toHaveLength(2);
		} finally {
			kit().idp.settings.accessTokenLifetime = 3600;
		}
	});

	it("never puts a token in stderr with --verbose, while logging the requests", async () => {
		const home = await newHome();
		kit().idp.settings.accessTokenLifetime = 60;
		try {
			await seedSignIn(kit(), home);
			const run = await o365(["get", "me", "--verbose"], cliEnv(kit(), home));
			expect(run.code).toBe(0);
			expect(run.stderr).toMatch(/\[o365\] debug: /);
			expect(run.stderr).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
			expect(run.stderr).not.toMatch(/Bearer \S/i);
			// Every secret the token file holds (access, refresh and id tokens) stays out of the log.
			const stored = JSON.parse(
				await readFile(path.join(configDirOf(home), "tokens", "default.json"), "utf8"),
			);
			const secrets = ["AccessToken", "RefreshToken", "IdToken"].flatMap((kind) =>
				Object.values(stored[kind] as Record<string, { secret: string }>).map((entry) => entry.secret),
			);
			expect(secrets.length).toBeGreaterThanOrEqual(3);
			for (const secret of secrets) expect(run.stderr).not.toContain(secret);
		} finally {
			kit().idp.settings.accessTokenLifetime = 3600;
		}
	});
});
