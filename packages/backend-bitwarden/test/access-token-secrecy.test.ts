import { inspect } from "node:util";
import { expectNoValueAnywhere, expectO365Error } from "@o365/backend-test-suite";
import { runTypeScript } from "@o365/testkit";
import { describe, expect, it } from "vitest";
import { BitwardenSecretsManagerBackend } from "../src/index.js";
import { type FakeAccessToken, makeAccessToken } from "../src/testing/fake-bitwarden-server.js";
import { useFakeBitwarden } from "./fake-server-fixture.js";

const fake = useFakeBitwarden();

/** The access token, and each of its secret parts alone. */
const secretsOf = (token: FakeAccessToken) => [
	token.token,
	token.clientSecret,
	token.seed.toString("base64"),
];

async function failure(action: () => unknown): Promise<unknown> {
	try {
		await action();
	} catch (error) {
		return error;
	}
	throw new Error("expected the call to fail");
}

describe("the access token never shows", () => {
	it("in the error of a login the server refuses", async () => {
		const token = makeAccessToken();
		const error = await failure(() => fake.backend({ accessToken: token.token }).read());
		expectO365Error(error, ["backend_invalid_config"], "a refused login");
		expectNoValueAnywhere(error, secretsOf(token), "a refused login");
	});

	it("in the error for an access token of the wrong shape", async () => {
		const token = makeAccessToken();
		const malformed = `${token.token} `; // a stray space pasted along
		const error = await failure(() => fake.backend({ accessToken: malformed }));
		expectO365Error(error, ["backend_invalid_config"], "a malformed access token");
		expectNoValueAnywhere(error, secretsOf(token), "a malformed access token");
	});

	it("in errors the server answers with, or a timeout", async () => {
		const backend = fake.backend({ timeoutMs: 300 });
		await backend.read();
		const errors: unknown[] = [];
		for (const status of [400, 403, 404, 500]) {
			fake.server.failWith(status);
			errors.push(await failure(() => backend.write("value")));
		}
		fake.server.failWith(undefined);
		const release = fake.server.stall();
		errors.push(await failure(() => backend.read()));
		release();
		for (const error of errors) {
			expectO365Error(error, ["backend_io", "backend_invalid_config"], "a failed call");
			expectNoValueAnywhere(error, secretsOf(fake.accessToken), "a failed call");
			// Core's redaction never had to hide anything: the message stays readable whole.
			expect((error as Error).message).not.toContain("[redacted");
		}
	});

	it("in util.inspect, JSON or String of the backend", () => {
		const backend = fake.backend();
		const shown = [
			inspect(backend, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
			JSON.stringify(backend),
			String(backend),
		];
		for (const text of shown) {
			for (const secret of secretsOf(fake.accessToken)) expect(text).not.toContain(secret);
		}
	});

	it("in anything the process prints, the SDK's native logging included", async () => {
		const token = makeAccessToken();
		const run = await runTypeScript("test/fixtures/print-nothing-secret.ts", [], {
			cwd: new URL("..", import.meta.url).pathname,
			env: {
				...process.env,
				FAKE_ACCESS_TOKEN: JSON.stringify({ ...token, seed: token.seed.toString("base64") }),
			},
		});
		expect(run.stdout, run.stderr).toContain("exercised: login refused, login, write, read, 500, 403");
		expect(run.stderr, "the errors printed").toContain("Bitwarden refused the access token");
		expect(run.stderr).not.toContain("[redacted");
		for (const secret of secretsOf(token)) {
			expect(run.stdout).not.toContain(secret);
			expect(run.stderr).not.toContain(secret);
		}
	});
});

describe("a backend built with a client of your own", () => {
	it("still refuses an empty access token without echoing anything", () => {
		const error = (() => {
			try {
				return new BitwardenSecretsManagerBackend({ accessToken: "", secretId: fake.secretId });
			} catch (e) {
				return e;
			}
		})();
		expectO365Error(error, ["backend_invalid_config"], "an empty access token");
		expect((error as Error).message).toContain("accessToken is required");
	});
});
