import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLIENT_ID, cliEnv, configDirOf, o365, spawnO365, USERNAME, useHomes, useKit } from "./helpers.js";

const kit = useKit();
const newHome = useHomes();

/** The device code as the contract's message prints it: "… enter the code ABCD-EFGH (expires …)". */
const DEVICE_CODE = /enter the code (\S+?)[\s.,)]/;

beforeAll(() => {
	// Polling every 50 ms keeps the device-code tests quick.
	kit().idp.settings.deviceCodeInterval = 0.05;
});

describe("o365 login with a device code", () => {
	it("prints the code on stderr, signs in once the user approves, and saves the profile", async () => {
		const home = await newHome();
		const env = cliEnv(kit(), home);
		const login = spawnO365(["login", "--device-code", "--client-id", CLIENT_ID], env);
		const [, userCode] = await login.stderrMatch(DEVICE_CODE);
		await kit().idp.browser.completeDeviceCode(userCode ?? "", { username: USERNAME });
		const result = await login.exited;
		expect(result.stderr).toContain(`Signed in as ${USERNAME} (profile 'default').`);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe("");
		const config = JSON.parse(await readFile(path.join(configDirOf(home), "config.json"), "utf8")) as {
			profiles: Record<string, unknown>;
		};
		expect(config.profiles.default).toEqual({
			clientId: CLIENT_ID,
			tenantId: kit().idp.tenantId,
			authorityHost: kit().idp.origin,
			graphUrl: `${kit().graph.origin}/`,
		});
		// The saved profile is enough: no client id, tenant or endpoints in the environment now.
		const bare = { PATH: env.PATH, HOME: home, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME };
		const token = await o365(["token"], bare);
		expect(token.code).toBe(0);
		expect(kit().idp.verifyAccessToken(token.stdout.trim())?.preferred_username).toBe(USERNAME);
		const me = await o365(["get", "me"], bare);
		expect(JSON.parse(me.stdout)).toMatchObject({ userPrincipalName: USERNAME });
	});

	it("picks the device code by itself in CI and over SSH", async () => {
		for (const extra of [{ CI: "true" }, { SSH_CONNECTION: "10.0.0.1 5000 10.0.0.2 22" }] as Record<
			string,
			string
		>[]) {
			const login = spawnO365(["login", "--client-id", CLIENT_ID], cliEnv(kit(), await newHome(), extra));
			const [, userCode] = await login.stderrMatch(DEVICE_CODE);
			kit().idp.approveDeviceCode(userCode ?? "", { username: USERNAME });
			expect((await login.exited).code).toBe(0);
		}
	});

	it("exits 130 on Ctrl+C while waiting, storing nothing", async () => {
		const home = await newHome();
		const login = spawnO365(["login", "--device-code", "--client-id", CLIENT_ID], cliEnv(kit(), home));
		await login.stderrMatch(DEVICE_CODE);
		login.child.kill("SIGINT");
		const result = await login.exited;
		expect(result.code).toBe(130);
		expect(result.stderr).toMatch(/o365: .* \(aborted\)\n$/);
		await expect(access(path.join(configDirOf(home), "tokens", "default.json"))).rejects.toThrow();
		await expect(access(path.join(configDirOf(home), "config.json"))).rejects.toThrow();
	});

	it("gives up after --timeout with one line telling to run login again (exit 1)", async () => {
		const run = await o365(
			["login", "--device-code", "--client-id", CLIENT_ID, "--timeout", "1"],
			cliEnv(kit(), await newHome()),
		);
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(
			/o365: the sign-in was not completed within 1 s; run `o365 login` again.* \(consent_timeout\)\n$/,
		);
	});

	it("exits 1 with authorization_denied when the user declines", async () => {
		const login = spawnO365(
			["login", "--device-code", "--client-id", CLIENT_ID],
			cliEnv(kit(), await newHome()),
		);
		const [, userCode] = await login.stderrMatch(DEVICE_CODE);
		kit().idp.declineDeviceCode(userCode ?? "");
		const result = await login.exited;
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/o365: the sign-in was declined.* \(authorization_denied\)\n$/);
	});
});

describe("o365 login in a browser", () => {
	it("prints the URL with --no-browser and signs in through the loopback redirect", async () => {
		const home = await newHome();
		const login = spawnO365(
			["login", "--no-browser", "--client-id", CLIENT_ID, "--app", "desk"],
			cliEnv(kit(), home),
		);
		const [url] = await login.stderrMatch(/http:\/\/127\.0\.0\.1:\d+\/\S*authorize\S*/);
		expect(new URL(url).searchParams.get("redirect_uri")).toMatch(/^http:\/\/localhost:\d+/);
		await kit().idp.browser.openBrowser(url);
		const result = await login.exited;
		expect(result.code).toBe(0);
		expect(result.stderr).toContain(`Signed in as ${USERNAME} (profile 'desk').`);
		const whoami = await o365(["whoami", "--app", "desk", "--json"], cliEnv(kit(), home));
		expect(JSON.parse(whoami.stdout)).toMatchObject({ profile: "desk", accounts: [{ username: USERNAME }] });
	});
});
