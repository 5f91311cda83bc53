import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Account, type CacheDocument, TokenBackendError } from "@o365/core";
import { type FakeIdentityPlatform, startFakeIdentityPlatform } from "@o365/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FileSystemTokenBackend } from "../src/index.js";
import { tempDir } from "./helpers.js";
import { entriesOf, python, pythonIndent4, requireMsalPython } from "./python-o365.js";

// python-o365 2.1 (MSAL Python) and this library sharing one o365_token.txt, against an identity
// platform that rotates refresh tokens and refuses a used one, as Entra does.

// Each step of a round trip starts a Python interpreter with MSAL (~0.3 s, far more on a busy machine).
vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

const APP = { clientId: "shared-app-id", clientSecret: "shared-app-secret-value-42" };
const REDIRECT_URI = "http://localhost:5173/callback";
const ADELE = { username: "adele@contoso.test", password: "adele-password-1" };
const MEGAN = { username: "megan@contoso.test", password: "megan-password-2" };
const SCOPES = ["https://graph.microsoft.com/Mail.Read", "https://graph.microsoft.com/User.Read"];

let idp: FakeIdentityPlatform;

beforeAll(async () => {
	// Fails, never skips, without MSAL Python: the message names `apt-get install python3-msal`.
	await requireMsalPython();
	idp = await startFakeIdentityPlatform({
		// python-o365's authority host: both libraries then write `login.microsoftonline.com`.
		authorityHost: "login.microsoftonline.com",
		rotateRefreshTokens: true,
		rejectRefreshTokenReuse: true,
		clients: [{ ...APP, redirectUris: [REDIRECT_URI] }],
		users: [ADELE, MEGAN],
	});
});

afterAll(async () => {
	await idp?.close();
});

beforeEach(() => idp.clearRequests());

/** A python-o365 process on the token file. */
function pythonSide(tokenFile: string, user: { username: string; password?: string }) {
	const { authority } = idp.msalConfig();
	return (command: "signin" | "silent" | "refresh" | "scopes" | "remove") =>
		python({
			command,
			tokenFile,
			origin: idp.origin,
			authority,
			...APP,
			...user,
			scopes: SCOPES,
		});
}

/**
 * Microsoft's cloud discovery answer for the public cloud, as msal-node gets it in production:
 * it then caches `login.windows.net` where MSAL Python writes `login.microsoftonline.com`.
 */
const PUBLIC_CLOUD_DISCOVERY = JSON.stringify({
	tenant_discovery_endpoint: "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
	"api-version": "1.1",
	metadata: [
		{
			preferred_network: "login.microsoftonline.com",
			preferred_cache: "login.windows.net",
			aliases: ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"],
		},
	],
});

/** A process of ours on the token folder: a fresh Account, as after a restart. */
function nodeSide(tokenPath: string, username: string): Account {
	return new Account([APP.clientId, APP.clientSecret], {
		tenantId: idp.tenantId,
		tokenBackend: new FileSystemTokenBackend({ tokenPath, fileFormat: "python-o365" }),
		redirectUri: REDIRECT_URI,
		username,
		...idp.msalConfig(),
		cloudDiscoveryMetadata: PUBLIC_CLOUD_DISCOVERY,
	});
}

async function nodeSignIn(tokenPath: string, user: { username: string; password: string }): Promise<void> {
	const account = nodeSide(tokenPath, user.username);
	const { url, flow } = await account.getAuthorizationUrl(SCOPES);
	await account.requestToken(await idp.browser.signIn(url, user), { flow });
}

async function stored(tokenFile: string): Promise<CacheDocument> {
	return JSON.parse(await readFile(tokenFile, "utf8")) as CacheDocument;
}

function homeAccountIdOf(document: CacheDocument, username: string): string {
	const account = Object.values(document.Account).find((entry) => entry.username === username);
	if (account === undefined) throw new Error(`no account for ${username} in the token file`);
	return account.home_account_id;
}

/** One entry of each kind per user, MSAL Python's keys, the refresh token with target and time. */
async function expectOneEntryPerKind(tokenFile: string, username: string): Promise<void> {
	const document = await stored(tokenFile);
	const home = homeAccountIdOf(document, username);
	expect(entriesOf(document, home)).toEqual({ Account: 1, IdToken: 1, AccessToken: 1, RefreshToken: 1 });
	const [key, refreshToken] = Object.entries(document.RefreshToken).find(
		([, entry]) => entry.home_account_id === home,
	) as [string, CacheDocument["RefreshToken"][string]];
	expect(refreshToken.target?.split(" ")).toEqual(expect.arrayContaining(SCOPES));
	expect(refreshToken.last_modification_time).toMatch(/^\d+$/);
	expect(key).toBe(
		`${home}-login.microsoftonline.com-refreshtoken-${APP.clientId}--${refreshToken.target}`.toLowerCase(),
	);
	for (const [section, entries] of Object.entries(document)) {
		for (const [entryKey, entry] of Object.entries(entries as Record<string, { environment?: string }>)) {
			expect(entry.environment, `${section} ${entryKey}`).toBe("login.microsoftonline.com");
		}
	}
	const accessKey = Object.keys(document.AccessToken).find((entryKey) => entryKey.startsWith(home));
	expect(accessKey).toMatch(/-accesstoken-shared-app-id-[0-9a-f-]+-https:\/\/graph\.microsoft\.com\/[^-]*$/);
	const idKey = Object.keys(document.IdToken).find((entryKey) => entryKey.startsWith(home));
	expect(idKey).toMatch(/-idtoken-shared-app-id-[0-9a-f-]+-$/);
}

function refusedGrants(): string[] {
	return idp
		.tokenRequests()
		.filter((request) => request.error !== undefined)
		.map((request) => `${request.grantType}: ${request.error}`);
}

describe("python-o365 writes, we read and refresh", () => {
	it("serves the stored access token without a network call, then refreshes in turns with Python, twice", async () => {
		const dir = await tempDir();
		const tokenFile = path.join(dir, "o365_token.txt");
		const py = pythonSide(tokenFile, ADELE);
		const signedIn = await py("signin");
		expect(signedIn.accessToken).toBeDefined();
		await expectOneEntryPerKind(tokenFile, ADELE.username);
		idp.clearRequests();

		expect(await nodeSide(dir, ADELE.username).con.getAccessToken()).toBe(signedIn.accessToken);
		expect(idp.tokenRequests()).toEqual([]);

		for (let round = 1; round <= 2; round++) {
			const ours = nodeSide(dir, ADELE.username);
			await ours.con.refreshToken();
			const ourToken = await ours.con.getAccessToken();
			expect(idp.verifyAccessToken(ourToken)?.preferred_username).toBe(ADELE.username);
			await expectOneEntryPerKind(tokenFile, ADELE.username);
			expect(await py("scopes")).toEqual({ scopes: SCOPES });

			const theirs = await py("refresh");
			expect(theirs.error).toBeUndefined();
			expect(theirs.accessToken).not.toBe(ourToken);
			await expectOneEntryPerKind(tokenFile, ADELE.username);
		}
		expect(idp.tokenRequests("refresh_token")).toHaveLength(4);
		expect(refusedGrants()).toEqual([]);
	});
});

describe("we write, python-o365 reads and refreshes", () => {
	it("Python serves our access token from the file, then refreshes in turns with us, twice", async () => {
		const dir = await tempDir();
		const tokenFile = path.join(dir, "o365_token.txt");
		const py = pythonSide(tokenFile, ADELE);
		await nodeSignIn(dir, ADELE);
		await expectOneEntryPerKind(tokenFile, ADELE.username);
		const ourToken = await nodeSide(dir, ADELE.username).con.getAccessToken();
		idp.clearRequests();

		expect(await py("silent")).toEqual({ accessToken: ourToken });
		expect(idp.tokenRequests()).toEqual([]);

		for (let round = 1; round <= 2; round++) {
			expect(await py("scopes")).toEqual({ scopes: SCOPES });
			const theirs = await py("refresh");
			expect(theirs.error).toBeUndefined();
			await expectOneEntryPerKind(tokenFile, ADELE.username);

			const ours = nodeSide(dir, ADELE.username);
			expect(await ours.con.getAccessToken()).toBe(theirs.accessToken);
			await ours.con.refreshToken();
			expect(await ours.con.getAccessToken()).not.toBe(theirs.accessToken);
			await expectOneEntryPerKind(tokenFile, ADELE.username);
		}
		expect(idp.tokenRequests("refresh_token")).toHaveLength(4);
		expect(refusedGrants()).toEqual([]);
	});

	it("writes python-o365's layout byte for byte: json.dumps(cache, indent=4), no trailing newline, 0600", async () => {
		const dir = await tempDir();
		await nodeSignIn(dir, ADELE);
		const tokenFile = path.join(dir, "o365_token.txt");
		const text = await readFile(tokenFile, "utf8");
		expect(text).toBe(await pythonIndent4(text));
		expect(text.endsWith("}")).toBe(true);
		expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
	});

	it("python-o365's remove_data(username) removes every entry of that user and none of the other's", async () => {
		const dir = await tempDir();
		const tokenFile = path.join(dir, "o365_token.txt");
		await nodeSignIn(dir, ADELE);
		await nodeSignIn(dir, MEGAN);
		await nodeSide(dir, ADELE.username).con.refreshToken();
		const before = await stored(tokenFile);
		const adele = homeAccountIdOf(before, ADELE.username);
		const megan = homeAccountIdOf(before, MEGAN.username);

		expect(await pythonSide(tokenFile, ADELE)("remove")).toEqual({ removed: true });

		const after = await stored(tokenFile);
		expect(entriesOf(after, adele)).toEqual({ Account: 0, IdToken: 0, AccessToken: 0, RefreshToken: 0 });
		expect(entriesOf(after, megan)).toEqual({ Account: 1, IdToken: 1, AccessToken: 1, RefreshToken: 1 });
		const ours = nodeSide(dir, MEGAN.username);
		expect(await ours.con.getAccessToken()).toBe(
			Object.values(before.AccessToken).find((entry) => entry.home_account_id === megan)?.secret,
		);
		expect(await nodeSide(dir, ADELE.username).isAuthenticated()).toBe(false);
	});
});

describe("python-o365 files from before 2.1", () => {
	it("a flat OAuth token is refused with backend_legacy_format, saying how to migrate, and left in place", async () => {
		const dir = await tempDir();
		const tokenFile = path.join(dir, "o365_token.txt");
		const legacy = JSON.stringify({
			token_type: "Bearer",
			scope: ["https://graph.microsoft.com/User.Read"],
			access_token: "legacy-access-token-value",
			refresh_token: "legacy-refresh-token-value",
			expires_at: 1700000000,
		});
		await writeFile(tokenFile, legacy);
		const backend = new FileSystemTokenBackend({ tokenPath: dir, fileFormat: "python-o365" });
		const error = await backend.loadToken().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TokenBackendError);
		expect(error).toMatchObject({ code: "backend_legacy_format" });
		expect((error as Error).message).toMatch(/python-o365 2\.0 or older/);
		expect((error as Error).message).toMatch(/To migrate, delete it .* sign in again/);
		expect((error as Error).message).not.toContain("legacy-refresh-token-value");
		expect(await readFile(tokenFile, "utf8")).toBe(legacy);
		// python-o365 2.1 refuses it too.
		expect(await pythonSide(tokenFile, ADELE)("scopes")).toMatchObject({ error: "legacy" });
	});
});
