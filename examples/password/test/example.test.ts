import { fileURLToPath } from "node:url";
import { runExample } from "@o365/example-support/test";
import { describe, expect, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

describe("password example (legacy)", () => {
	it("warns why not to use the flow, signs the user in with their password and calls Graph", async () => {
		const { code, stdout, stderr } = await runExample(exampleDir);
		expect(stderr).toMatch(/^Warning: the password flow is legacy\./);
		expect(stderr).toContain("multi-factor");
		expect(code).toBe(0);
		expect(stdout).toBe("Signed in with a password as Megan Bowen <megan@contoso.test>.\n");
	});

	it("refuses the real-service path without a username or password, saying which is missing", async () => {
		const { code, stdout, stderr } = await runExample(exampleDir, {
			O365_CLIENT_ID: "00000000-0000-4000-8000-00000000de70",
			O365_TENANT_ID: "contoso.test",
		});
		expect(code).toBe(1);
		expect(stdout).toBe("");
		expect(stderr).toContain("ConfigurationError: authFlowType 'password' needs `username`");
	});
});
