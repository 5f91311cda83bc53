import { fileURLToPath } from "node:url";
import { Account } from "@o365/core";
import { type RecordedRequest, runTypeScript, startFakeIdentityPlatform } from "@o365/testkit";
import type { FleetChildConfig, FleetChildReport, StoreConfig } from "./fleet-config.js";
import { openStore } from "./open-store.js";

export interface FleetOptions {
	store: StoreConfig;
	/** @default 8 */
	processes?: number;
	/** How long every process keeps asking for tokens, in milliseconds. @default 12000 */
	durationMs?: number;
	/**
	 * Access-token lifetime the identity platform grants, in seconds. Tokens are renewed 301 s
	 * early, so 304 gives a token that must be renewed about every 3 s. @default 304
	 */
	accessTokenLifetime?: number;
}

export interface FleetResult {
	processes: number;
	/** Refresh-token grants the identity platform answered, in order. */
	refreshGrants: number;
	/** Grants the platform refused (invalid_grant and others). */
	failedGrants: number;
	/** Grants made while the newest access token was still good: a second refresh for one expiry. */
	redundantGrants: number;
	/** refreshGrants per access-token expiry; 1 is ideal. */
	tokenRequestsPerExpiry: number;
	/** Errors any process saw. */
	errors: string[];
	/** Processes whose last token is valid (signature and expiry) at the end. */
	processesWithValidToken: number;
	calls: number;
}

/** @o365/core renews access tokens this long before they expire (msal-node's 300 s, plus one). */
const RENEWAL_OFFSET_S = 301;

const CLIENT = {
	clientId: "fleet-app",
	clientSecret: "fleet-secret-value",
	redirectUri: "http://localhost:7070/cb",
};
const childScript = fileURLToPath(new URL("./fleet-child.ts", import.meta.url));

/**
 * Signs one user in, then starts `processes` children that share the store and call
 * getAccessToken() in a loop across several access-token expiries, against an identity platform
 * that rotates refresh tokens and refuses a rotated-away one.
 */
export async function runFleet(options: FleetOptions): Promise<FleetResult> {
	const processes = options.processes ?? 8;
	const lifetime = options.accessTokenLifetime ?? 304;
	const idp = await startFakeIdentityPlatform({
		accessTokenLifetime: lifetime,
		rotateRefreshTokens: true,
		rejectRefreshTokenReuse: true,
		clients: [{ ...CLIENT, redirectUris: [CLIENT.redirectUri] }],
		users: [{ username: "fleet.user@contoso.test" }],
	});
	try {
		const account = {
			...CLIENT,
			tenantId: idp.tenantId,
			msal: idp.msalConfig(),
		};
		await signIn(options.store, account, idp.browser.signIn.bind(idp.browser));
		idp.clearRequests();
		const config: FleetChildConfig = {
			store: options.store,
			account,
			durationMs: options.durationMs ?? 12_000,
			pauseMs: 25,
		};
		const reports = await Promise.all(Array.from({ length: processes }, () => runChild(config)));
		const grants = idp.tokenRequests("refresh_token");
		const good = grants.filter((grant) => grant.error === undefined && grant.status === 200);
		const redundant = countRedundant(good, lifetime);
		const now = Math.floor(Date.now() / 1000);
		return {
			processes,
			refreshGrants: grants.length,
			failedGrants: grants.length - good.length,
			redundantGrants: redundant,
			tokenRequestsPerExpiry: good.length === 0 ? 0 : grants.length / (good.length - redundant),
			errors: reports.flatMap((report) => report.errors),
			processesWithValidToken: reports.filter((report) => {
				const claims = report.lastToken === undefined ? undefined : idp.verifyAccessToken(report.lastToken);
				return claims !== undefined && Number(claims.exp) > now;
			}).length,
			calls: reports.reduce((sum, report) => sum + report.calls, 0),
		};
	} finally {
		await idp.close();
	}
}

async function signIn(
	store: StoreConfig,
	account: FleetChildConfig["account"],
	browse: (url: string) => Promise<string>,
): Promise<void> {
	const opened = await openStore(store);
	try {
		const signer = new Account([account.clientId, account.clientSecret], {
			tenantId: account.tenantId,
			redirectUri: account.redirectUri,
			tokenBackend: opened.backend,
			...account.msal,
		});
		const { url, flow } = await signer.getAuthorizationUrl(["basic"]);
		await signer.requestToken(await browse(url), { flow });
	} finally {
		await opened.close();
	}
}

/**
 * A grant is redundant when it came before the access token of the previous grant entered the
 * renewal window (expires_on − 301 s, in whole seconds).
 */
function countRedundant(grants: RecordedRequest[], lifetimeSeconds: number): number {
	let redundant = 0;
	for (let i = 1; i < grants.length; i += 1) {
		const previous = grants[i - 1] as RecordedRequest;
		const current = grants[i] as RecordedRequest;
		const renewAt = Math.floor(previous.at / 1000) + lifetimeSeconds - RENEWAL_OFFSET_S;
		if (Math.floor(current.at / 1000) < renewAt) redundant += 1;
	}
	return redundant;
}

async function runChild(config: FleetChildConfig): Promise<FleetChildReport> {
	const { code, stdout, stderr } = await runTypeScript(childScript, [JSON.stringify(config)]);
	const last = stdout.trim().split("\n").at(-1) ?? "";
	if (code !== 0 || !last.startsWith("{")) {
		throw new Error(`fleet child exited with ${code}: ${stderr.slice(0, 2000)}`);
	}
	return JSON.parse(last) as FleetChildReport;
}
