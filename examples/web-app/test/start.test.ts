import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startExample } from "./start-command.js";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

describe("pnpm --filter @o365/example-web-app start", () => {
	it("listens on PORT with the test kit inside, sends /login to the fake's sign-in page and stops on SIGTERM", async () => {
		const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0" };
		delete env.O365_CLIENT_ID;
		const app = await startExample(exampleDir, env);
		try {
			expect(app.output()).toContain("adele@contoso.test (password: adele-password)");
			const home = await fetch(app.url);
			expect(home.status).toBe(200);
			expect(await home.text()).toContain('id="sign-in"');
			const login = await fetch(`${app.url}/login`, { redirect: "manual" });
			expect(login.status).toBe(302);
			const authorize = new URL(login.headers.get("location") ?? "");
			expect(authorize.hostname).toBe("127.0.0.1");
			expect(authorize.searchParams.get("redirect_uri")).toBe(`${app.url}/callback`);
			expect(authorize.searchParams.get("response_mode")).toBe("query");
			expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
			expect(login.headers.get("set-cookie")).toMatch(/^o365\.sid=.*; HttpOnly; SameSite=Lax$/i);
		} finally {
			expect(await app.stop()).toBe(0);
		}
	});

	it("refuses to start against real Entra without a client secret, saying what to set", async () => {
		const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", O365_CLIENT_ID: "some-app" };
		delete env.O365_CLIENT_SECRET;
		await expect(startExample(exampleDir, env)).rejects.toThrow(/O365_CLIENT_SECRET is not set/);
	});
});
