import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { EnvTokenBackend } from "@o365/core";
import { afterEach, describe, expect, it } from "vitest";

const VAR = "O365_TEST_CHILD_TOKEN";
const NOW = Math.floor(Date.now() / 1000);

/** What a real child process sees in the variable (spawned with this process's environment). */
function childSees(): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ["-e", `process.stdout.write(process.env.${VAR} ?? "<unset>")`], {
			stdio: ["ignore", "pipe", "inherit"],
		});
		let out = "";
		child.stdout.setEncoding("utf8");
		child.stdout.on("data", (chunk: string) => {
			out += chunk;
		});
		child.on("error", reject);
		child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}`))));
	});
}

function storedCache(refreshToken: string): string {
	return JSON.stringify({
		RefreshToken: {
			r: {
				home_account_id: "oid.tid",
				environment: "login.idp.test",
				credential_type: "RefreshToken",
				client_id: "app",
				secret: refreshToken,
			},
		},
		AccessToken: {
			a: {
				home_account_id: "oid.tid",
				environment: "login.idp.test",
				credential_type: "AccessToken",
				client_id: "app",
				secret: "access-token-value",
				expires_on: String(NOW + 3600),
			},
		},
	});
}

afterEach(() => {
	delete process.env[VAR];
});

describe("EnvTokenBackend and child processes", () => {
	it("by default (as python-o365) children inherit the token it loaded and saved", async () => {
		const refreshToken = `rt-${randomBytes(16).toString("hex")}`;
		process.env[VAR] = storedCache(refreshToken);
		const backend = new EnvTokenBackend({ tokenEnvName: VAR });
		expect(await backend.loadToken()).toBe(true);
		expect(await childSees()).toContain(refreshToken);
		await backend.saveToken({ force: true });
		expect(await childSees()).toContain(refreshToken);
	});

	it("with inheritable: false the value leaves process.env when the backend is created and children never see it", async () => {
		const refreshToken = `rt-${randomBytes(16).toString("hex")}`;
		process.env[VAR] = storedCache(refreshToken);
		const backend = new EnvTokenBackend({ tokenEnvName: VAR, inheritable: false });
		expect(process.env[VAR]).toBeUndefined();
		expect(await childSees()).toBe("<unset>");
		expect(await backend.loadToken()).toBe(true);
		expect(backend.cache.RefreshToken.r?.secret).toBe(refreshToken);

		// Saves and reloads stay in the process, out of the environment.
		await backend.saveToken({ force: true });
		expect(await childSees()).toBe("<unset>");
		expect(await backend.checkToken()).toBe(true);
		const again = new EnvTokenBackend({ tokenEnvName: VAR, inheritable: false });
		expect(await again.loadToken()).toBe(true);
		expect(again.cache.RefreshToken.r?.secret).toBe(refreshToken);
		expect(await again.deleteToken()).toBe(true);
		expect(await backend.checkToken()).toBe(false);
	});

	it("refuses an inheritable that is not a boolean", () => {
		expect(() => new EnvTokenBackend({ inheritable: "no" as unknown as boolean })).toThrow(
			expect.objectContaining({ code: "backend_invalid_config" }),
		);
	});
});
