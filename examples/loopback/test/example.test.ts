import { fileURLToPath } from "node:url";
import { runExample } from "@o365/example-support/test";
import { describe, expect, it } from "vitest";

const exampleDir = fileURLToPath(new URL("..", import.meta.url));

describe("loopback example against the test kit", () => {
	it("signs the user in through the local redirect server and calls Graph", async () => {
		const { code, stdout, stderr } = await runExample(exampleDir);
		expect(stderr).toBe("");
		expect(code).toBe(0);
		expect(stdout).toBe("Signed in through the browser (loopback) as Adele Vance <adele@contoso.test>.\n");
	});
});
