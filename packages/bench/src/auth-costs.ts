import { get } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { startFakeIdentityPlatform } from "@o365/testkit";
import { median, timeEach } from "./measure.js";
import { BENCH_APP, benchAccount, signIn } from "./signed-in-account.js";

export interface AuthCosts {
	/** The first sign-in of the process (loads msal-node, first fetch), in ms. */
	firstSignInMs: number;
	/** Median of later full sign-ins, in ms. */
	signInMs: number;
	/** Median cost of a warm getAccessToken(), in ns. */
	bearerLookupNs: number;
	/** Token requests the identity platform saw when 1,000 calls started as the token expired. */
	stormTokenRequests: number;
}

export async function measureAuthCosts(): Promise<AuthCosts> {
	const idp = await startFakeIdentityPlatform({
		clients: [{ ...BENCH_APP, redirectUris: [BENCH_APP.redirectUri] }],
		users: [{ username: "bench.user@contoso.test" }],
	});
	try {
		// The fake makes its signing key on first use (RSA keygen, 100–400 ms): not our cost.
		await new Promise((resolve, reject) =>
			get(`${idp.origin}/${idp.tenantId}/discovery/v2.0/keys`, (response) =>
				response.resume().on("end", resolve),
			).on("error", reject),
		);
		const [firstSignInMs = 0] = await timeEach(1, () => signIn(idp, benchAccount(idp)));
		const signInMs = median(await timeEach(50, () => signIn(idp, benchAccount(idp))));

		const warm = benchAccount(idp);
		await signIn(idp, warm);
		await warm.con.getAccessToken();
		const perCallNs: number[] = [];
		for (let round = 0; round < 30; round += 1) {
			const calls = 2_000;
			const start = process.hrtime.bigint();
			for (let i = 0; i < calls; i += 1) await warm.con.getAccessToken();
			perCallNs.push(Number(process.hrtime.bigint() - start) / calls);
		}

		// A token that msal-node renews one second after it is issued (lifetime 302 s, renewed 301 s early).
		idp.settings.accessTokenLifetime = 302;
		const storm = benchAccount(idp);
		await signIn(idp, storm);
		await storm.con.getAccessToken();
		await sleep(2_100); // the bench waits for real expiry; tests never do this
		idp.clearRequests();
		await Promise.all(Array.from({ length: 1_000 }, () => storm.con.getAccessToken()));
		return {
			firstSignInMs,
			signInMs,
			bearerLookupNs: median(perCallNs),
			stormTokenRequests: idp.tokenRequests().length,
		};
	} finally {
		await idp.close();
	}
}
