import { fileURLToPath } from "node:url";
import { runExample } from "@o365/example-support/test";
import { describe, expect, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

describe("device-code example against the test kit", () => {
	it("prints the code and URL, signs the user in once the code is completed, and calls Graph", async () => {
		const { code, stdout, stderr } = await runExample(exampleDir);
		expect(stderr).toMatch(/To sign in, open http:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code \S+/);
		expect(code).toBe(0);
		expect(stdout).toBe("Signed in with a device code as Adele Vance <adele@contoso.test>.\n");
	});
});
