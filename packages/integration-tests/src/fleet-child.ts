/**
 * One member of a fleet: opens the shared store and calls getAccessToken() in a loop, as a busy
 * service would, then prints a JSON report. Run by `runFleet()` in a child process.
 */

import { setTimeout as pause } from "node:timers/promises";
import { Account, O365Error } from "@o365/core";
import type { FleetChildConfig, FleetChildReport } from "./fleet-config.js";
import { openStore } from "./open-store.js";

const config = JSON.parse(process.argv[2] ?? "{}") as FleetChildConfig;
const store = await openStore(config.store);
const account = new Account([config.account.clientId, config.account.clientSecret], {
	tenantId: config.account.tenantId,
	redirectUri: config.account.redirectUri,
	tokenBackend: store.backend,
	...config.account.msal,
});
const report: FleetChildReport = { pid: process.pid, calls: 0, errors: [], lastToken: undefined };
process.stdout.write("ready\n");
const deadline = Date.now() + config.durationMs;
while (Date.now() < deadline) {
	try {
		report.lastToken = await account.con.getAccessToken();
		report.calls += 1;
	} catch (error) {
		report.errors.push(error instanceof O365Error ? `${error.code}: ${error.message}` : String(error));
	}
	await pause(config.pauseMs);
}
await store.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
