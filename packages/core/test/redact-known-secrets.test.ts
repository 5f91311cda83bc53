import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { AuthenticationError, GraphError, redactSecrets, rememberSecret } from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { rememberToken } from "../src/utils/known-secrets.js";
import { useFakeGraph } from "./helpers/fake-graph.js";
import { WEB_APP } from "./helpers/fake-platform.js";

const { platform, graph, signedInUser, logLines } = useFakeGraph();

function everythingIn(error: unknown): string {
	return [
		inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
		JSON.stringify(error),
		(error as Error).message,
	].join("\n");
}

/** The opaque (non-JWT) refresh token the account now holds. */
function refreshTokenOf(account: Awaited<ReturnType<typeof signedInUser>>): string {
	const token = account.con.tokenBackend.getRefreshToken()?.secret;
	expect(token).toBeDefined();
	expect(token).not.toMatch(/^eyJ/);
	return token as string;
}

describe("redaction by value: the client secret and the tokens held", () => {
	beforeEach(() => {
		graph().clearRequests();
		platform().clearRequests();
	});

	it("a Graph error that echoes a held opaque token and the client secret reaches neither the error nor the log", async () => {
		const account = await signedInUser();
		const refreshToken = refreshTokenOf(account);
		const linesBefore = logLines.length;
		graph().failNext({
			status: 400,
			code: "BadRequest",
			message: `Request carried ${refreshToken} and the app's key ${WEB_APP.clientSecret} in plain words.`,
		});
		const error = await account.con.get("/me").catch((e: unknown) => e);
		expect(error).toBeInstanceOf(GraphError);
		expect((error as GraphError).graphMessage).toContain("in plain words");
		const text = everythingIn(error);
		expect(text).not.toContain(refreshToken);
		expect(text).not.toContain(WEB_APP.clientSecret);
		const logged = logLines.slice(linesBefore).join("\n");
		expect(logged).toContain("in plain words");
		expect(logged).not.toContain(refreshToken);
		expect(logged).not.toContain(WEB_APP.clientSecret);
	});

	it("an identity error that echoes the refresh token and the client secret does not leak them", async () => {
		const account = await signedInUser();
		const refreshToken = refreshTokenOf(account);
		platform().failNext({
			grantType: "refresh_token",
			error: "invalid_client",
			errorDescription: `AADSTS7000215: Invalid client secret provided (${WEB_APP.clientSecret}) with grant ${refreshToken}.`,
		});
		const error = await account.con.refreshToken().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(AuthenticationError);
		expect((error as AuthenticationError).providerError.errorDescription).toContain("AADSTS7000215");
		const text = everythingIn(error);
		expect(text).not.toContain(refreshToken);
		expect(text).not.toContain(WEB_APP.clientSecret);
	});

	it("a truncated echo of a held token is redacted from where it starts", async () => {
		const account = await signedInUser();
		const refreshToken = refreshTokenOf(account);
		const cut = refreshToken.slice(0, 40);
		const redacted = redactSecrets(`the grant ${cut}… was refused`);
		expect(redacted).not.toContain(cut.slice(0, 16));
		expect(redacted).toMatch(/^the grant .*was refused$/);
	});

	it("redacts every remembered token, adjacent ones too, forgets the oldest beyond 512, and keeps credentials", () => {
		const credential = `app-credential-${randomBytes(12).toString("hex")}`;
		rememberSecret(credential);
		const values = Array.from({ length: 600 }, (_, i) => `v${i}-${randomBytes(12).toString("hex")}`);
		for (const value of values) rememberToken(value);
		const [first, last, before] = [values[0], values[599], values[598]] as string[];
		expect(redactSecrets(`a ${last}${before} b`)).toBe("a [redacted][redacted] b");
		expect(redactSecrets(`old ${first}`)).toBe(`old ${first}`);
		expect(redactSecrets(`key ${credential}`)).toBe("key [redacted]");
		rememberSecret("short");
		expect(redactSecrets("a short word")).toBe("a short word");
	});

	it("leaves short and ordinary words alone", () => {
		expect(redactSecrets("GET /me: 404 ErrorItemNotFound (check the path)")).toBe(
			"GET /me: 404 ErrorItemNotFound (check the path)",
		);
	});
});
