import {
	AuthenticationError,
	type LeaseOptions,
	MemoryTokenBackend,
	type TokenBackend,
	type TokenLease,
} from "@o365/core";
import { describe, expect, it } from "vitest";
import { useFakeGraph } from "./helpers/fake-graph.js";

// What sign-in and refresh tell the user's logger (every line of the file is also checked for
// tokens and secrets by useFakeGraph), and which error a caller sees when the lease fails too.
const { platform, signedInUser, logLines } = useFakeGraph();

const USERNAME = "adele@contoso.test";

/** The lines logged since `start`, at `level`. */
function linesSince(start: number, level: string): string[] {
	return logLines.slice(start).filter((line) => line.startsWith(`${level} `));
}

async function expireAccessToken(backend: TokenBackend) {
	const cache = JSON.parse(backend.serialize());
	for (const entry of Object.values(cache.AccessToken) as { expires_on: string }[]) {
		entry.expires_on = String(Math.floor(Date.now() / 1000) - 60);
	}
	backend.deserialize(JSON.stringify(cache), { changed: true });
	await backend.saveToken({ force: true });
}

/** A store whose lease cannot be released (its lock server went away); it expires by itself. */
class ReleaseFailsBackend extends MemoryTokenBackend {
	override async acquireLease(options: LeaseOptions): Promise<TokenLease> {
		const lease = await super.acquireLease(options);
		return {
			expiresAt: lease.expiresAt,
			release: async () => {
				throw new Error("the lock server went away");
			},
		};
	}
}

describe("logging of sign-ins and refreshes", () => {
	it("a sign-in and a refresh each log one info line naming the user and the scopes, never a token", async () => {
		const start = logLines.length;
		const backend = new MemoryTokenBackend();
		const account = await signedInUser({ tokenBackend: backend });
		const signedIn = await account.con.getAccessToken();
		const signInLines = linesSince(start, "info");
		expect(signInLines).toHaveLength(1);
		expect(signInLines[0]).toMatch(/signed in/);
		expect(signInLines[0]).toContain(USERNAME);
		expect(signInLines[0]).toContain("User.Read");

		await expireAccessToken(backend);
		await account.con.loadTokenFromBackend();
		const afterSignIn = logLines.length;
		const refreshed = await account.con.getAccessToken();
		expect(refreshed).not.toBe(signedIn);
		const refreshLines = linesSince(afterSignIn, "info");
		expect(refreshLines).toHaveLength(1);
		expect(refreshLines[0]).toMatch(/refreshed/);
		expect(refreshLines[0]).toContain(USERNAME);
		expect(refreshLines[0]).toContain("User.Read");
		for (const line of logLines.slice(start)) {
			expect(line).not.toContain(signedIn);
			expect(line).not.toContain(refreshed);
		}
	});

	it("msal-node's warnings reach the user's logger, without personal data", async () => {
		const start = logLines.length;
		platform().settings.omit = ["client_info"]; // msal-node warns "No client info in response"
		try {
			await signedInUser();
		} finally {
			platform().settings.omit = [];
		}
		const msalWarnings = linesSince(start, "warn").filter((line) => line.includes("msal-node"));
		expect(msalWarnings.some((line) => line.includes("No client info in response"))).toBe(true);
		const msalLines = logLines.slice(start).filter((line) => line.includes("msal-node"));
		for (const line of msalLines) expect(line, "piiLoggingEnabled is off").not.toContain(USERNAME);
	});

	it("a lease that cannot be released does not replace the refresh's error; the release failure is logged", async () => {
		const backend = new ReleaseFailsBackend();
		const account = await signedInUser({ tokenBackend: backend });
		await expireAccessToken(backend);
		await account.con.loadTokenFromBackend();
		platform().revokeRefreshTokens({ username: USERNAME });
		const start = logLines.length;
		const error = await account.con.getAccessToken().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(AuthenticationError);
		expect(error).toMatchObject({ code: "sign_in_required" });
		const warnings = linesSince(start, "warn");
		expect(warnings.some((line) => line.includes("could not release the token lease"))).toBe(true);
		expect(warnings.some((line) => line.includes("the lock server went away"))).toBe(true);
	});

	it("a lease that cannot be released does not fail a refresh that worked", async () => {
		const backend = new ReleaseFailsBackend();
		const account = await signedInUser({ tokenBackend: backend });
		const before = await account.con.getAccessToken();
		await expireAccessToken(backend);
		await account.con.loadTokenFromBackend();
		const after = await account.con.getAccessToken();
		expect(after).not.toBe(before);
		expect(platform().verifyAccessToken(after)).toBeDefined();
	});
});
