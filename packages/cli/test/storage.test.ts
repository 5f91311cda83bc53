import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { run } from "../src/run.js";
import {
	CLIENT_ID,
	cliEnv,
	configDirOf,
	o365,
	seedSignIn,
	TOKEN_KEY,
	USERNAME,
	useHomes,
	useKit,
} from "./helpers.js";

const kit = useKit({ users: 4 });
const newHome = useHomes();

async function filesUnder(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { recursive: true, withFileTypes: true });
	return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe("token storage", () => {
	it("keeps folders 0700 and files 0600 under $XDG_CONFIG_HOME/o365", async () => {
		const home = await newHome();
		await seedSignIn(kit(), home);
		const refreshed = await o365(["token"], cliEnv(kit(), home));
		expect(refreshed.code).toBe(0);
		const dir = configDirOf(home);
		expect((await stat(dir)).mode & 0o777).toBe(0o700);
		expect((await stat(path.join(dir, "tokens"))).mode & 0o777).toBe(0o700);
		const files = await filesUnder(dir);
		expect(files.map((file) => path.relative(dir, file)).sort()).toEqual([
			"config.json",
			path.join("tokens", "default.json"),
		]);
		for (const file of files) expect((await stat(file)).mode & 0o777, file).toBe(0o600);
	});

	it("encrypts the token file when O365_TOKEN_KEY is set: no token text at rest, and the CLI still reads it", async () => {
		const home = await newHome();
		await seedSignIn(kit(), home, { O365_TOKEN_KEY: TOKEN_KEY });
		const env = cliEnv(kit(), home, { O365_TOKEN_KEY: TOKEN_KEY });
		const token = await o365(["token"], env);
		expect(token.code).toBe(0);
		const accessToken = token.stdout.trim();
		const stored = await readFile(path.join(configDirOf(home), "tokens", "default.json"), "utf8");
		expect(stored).toMatch(/^o365enc:v1:/);
		for (const text of [
			accessToken,
			accessToken.slice(0, 40),
			USERNAME,
			"refresh_token",
			"RefreshToken",
			"secret",
		]) {
			expect(stored).not.toContain(text);
		}
		const whoami = await o365(["whoami"], env);
		expect(whoami.code).toBe(0);
		expect(whoami.stdout).toMatch(
			/Tokens: {4}.*default\.json \(encrypted, AES-256-GCM, key from O365_TOKEN_KEY\)/,
		);
		expect(whoami.stderr).toBe("");
		const withoutKey = await o365(["token"], cliEnv(kit(), home));
		expect(withoutKey.code).toBe(1);
		expect(withoutKey.stderr).toMatch(/\(backend_crypto\)\n$/);
		expect(withoutKey.stderr).not.toContain(accessToken);
	});

	it("reads the key from O365_TOKEN_KEY_FILE", async () => {
		const home = await newHome();
		const keyFile = path.join(home, "token.key");
		await import("node:fs/promises").then(({ writeFile }) =>
			writeFile(keyFile, `${TOKEN_KEY}\n`, { mode: 0o600 }),
		);
		await seedSignIn(kit(), home, { O365_TOKEN_KEY_FILE: keyFile });
		const whoami = await o365(["whoami", "--json"], cliEnv(kit(), home, { O365_TOKEN_KEY_FILE: keyFile }));
		expect(whoami.code).toBe(0);
		expect(JSON.parse(whoami.stdout)).toMatchObject({ encrypted: true, accounts: [{ username: USERNAME }] });
	});
});

describe("o365 whoami", () => {
	it("shows the account, tenant and scopes, and warns on stderr that tokens are not encrypted", async () => {
		const home = await newHome();
		await seedSignIn(kit(), home);
		const env = cliEnv(kit(), home);
		const text = await o365(["whoami"], env);
		expect(text.code).toBe(0);
		expect(text.stdout).toContain(`Signed in: ${USERNAME} (tenant ${kit().idp.tenantId})`);
		expect(text.stdout).toMatch(/Scopes: .*User\.Read/);
		expect(text.stdout).toContain("NOT ENCRYPTED");
		expect(text.stderr).toMatch(/^o365: warning: tokens are stored unencrypted.*O365_TOKEN_KEY/);
		const json = await o365(["whoami", "--json"], env);
		expect(JSON.parse(json.stdout)).toEqual({
			profile: "default",
			clientId: CLIENT_ID,
			tenant: kit().idp.tenantId,
			accounts: [{ username: USERNAME, tenant: kit().idp.tenantId, scopes: expect.any(Array) }],
			tokenFile: path.join(configDirOf(home), "tokens", "default.json"),
			encrypted: false,
			profiles: ["default"],
		});
	});
});

describe("o365 logout and profiles", () => {
	it("keeps profiles side by side with --app and logs out of one, or of all with --all", async () => {
		const home = await newHome();
		await seedSignIn(kit(), home);
		await seedSignIn(kit(), home, { O365_APP: "work" });
		const env = cliEnv(kit(), home);
		expect((await o365(["token", "--app", "work"], env)).code).toBe(0);
		const out = await o365(["logout", "--app", "work"], env);
		expect(out.code).toBe(0);
		expect(out.stdout).toBe("");
		expect(out.stderr).toContain("Signed out of profile 'work'.");
		expect((await o365(["token", "--app", "work"], env)).code).toBe(4);
		expect((await o365(["token"], env)).code).toBe(0);
		const config = JSON.parse(await readFile(path.join(configDirOf(home), "config.json"), "utf8")) as {
			profiles: Record<string, { clientId: string }>;
		};
		expect(config.profiles.work?.clientId).toBe(CLIENT_ID);
		const all = await o365(["logout", "--all"], env);
		expect(all.code).toBe(0);
		expect(await readdir(path.join(configDirOf(home), "tokens"))).toEqual([]);
		const after = await o365(["token"], env);
		expect(after.code).toBe(4);
		expect(after.stderr).toMatch(/`o365 login`/);
	});

	it("refuses a profile name that is not a plain file name (exit 2)", async () => {
		const run = await o365(["token", "--app", "../evil"], cliEnv(kit(), await newHome()));
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/^o365: invalid profile name/);
	});
});

describe("progress of get --all", () => {
	it("writes the item count to stderr only when stderr is a terminal", async () => {
		const home = await newHome();
		await seedSignIn(kit(), home);
		const capture = (isTTY: boolean) => {
			let text = "";
			const stream = new Writable({
				write(chunk, _encoding, done) {
					text += String(chunk);
					done();
				},
			});
			return Object.assign(stream, { isTTY, text: () => text });
		};
		const stdout = capture(false);
		const stderr = capture(true);
		const code = await run(["get", "users", "--all", "-o", "jsonl"], {
			stdout,
			stderr,
			env: cliEnv(kit(), home),
			homedir: home,
		});
		expect(code).toBe(0);
		expect(stdout.text().trimEnd().split("\n")).toHaveLength(5);
		expect(stderr.text()).toBe("\r5 items.\n");
	});
});
