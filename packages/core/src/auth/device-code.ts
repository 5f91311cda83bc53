/**
 * Device code sign-in (RFC 8628): the user opens a URL on any device and types a short code
 * while we poll the token endpoint. Works for public and confidential clients alike. Our own
 * loop, not msal-node's: it honours `slow_down`, stops at once on abort or timeout (the poll in
 * flight is cancelled, no timer is left), and types every outcome.
 */

import { AuthenticationError } from "../errors.js";
import { raceSignal } from "../utils/abort.js";
import { sleep } from "../utils/sleep.js";
import type { MsalClient, TokenResult } from "./msal-client.js";
import { Deadline } from "./sign-in-deadline.js";

/** What the user needs to sign in with a device code. */
export interface DeviceCodeInfo {
	/** The code to type, e.g. `ABCD-EFGH`. */
	userCode: string;
	/** Where to type it, e.g. `https://microsoft.com/devicelogin`. */
	verificationUri: string;
	/** When the code stops working. */
	expiresOn: Date;
	/** Seconds between polls, as the identity platform asked. */
	interval: number;
	/** One sentence to show: "To sign in, open https://… and enter the code ABCD-EFGH (expires at 14:05 UTC)." */
	message: string;
}

export interface DeviceCodeSignInOptions {
	/** Scopes, already expanded and prefixed. */
	scopes: string[];
	onDeviceCode: (info: DeviceCodeInfo) => void | Promise<void>;
	signal?: AbortSignal | undefined;
	/** Milliseconds until we give up with `consent_timeout`. */
	timeoutMs: number;
}

/** RFC 8628 §3.5: each `slow_down` adds five seconds to the interval. */
const SLOW_DOWN_MS = 5000;

/** Runs the flow: asks for a code, shows it, polls until the user answered. */
export async function signInWithDeviceCode(
	msal: MsalClient,
	options: DeviceCodeSignInOptions,
): Promise<TokenResult> {
	const deadline = new Deadline(options.signal, options.timeoutMs);
	const { signal } = deadline;
	try {
		const grant = await msal.requestDeviceCode({ scopes: options.scopes, signal });
		const expiresOn = new Date(Date.now() + grant.expiresIn * 1000);
		await raceSignal(
			Promise.resolve(
				options.onDeviceCode({
					userCode: grant.userCode,
					verificationUri: grant.verificationUri,
					expiresOn,
					interval: grant.interval,
					message: `To sign in, open ${grant.verificationUri} and enter the code ${grant.userCode} (expires at ${expiresOn.toISOString().slice(11, 16)} UTC).`,
				}),
			),
			signal,
		);
		let intervalMs = grant.interval * 1000;
		for (;;) {
			await sleep(intervalMs, signal);
			try {
				return await msal.redeemDeviceCode({ deviceCode: grant.deviceCode, scopes: options.scopes, signal });
			} catch (error) {
				if (signal.aborted) throw error;
				const said = error instanceof AuthenticationError ? error.providerError.error : undefined;
				if (said === "authorization_pending") continue;
				if (said === "slow_down") {
					intervalMs += SLOW_DOWN_MS;
					continue;
				}
				throw outcome(error, said);
			}
		}
	} catch (error) {
		throw deadline.explain(error, "nobody completed the device code sign-in");
	} finally {
		deadline.dispose();
	}
}

/** The user's refusal and the code's expiry, as the contract types them. */
function outcome(error: unknown, said: string | undefined): unknown {
	if (!(error instanceof AuthenticationError)) return error;
	if (said === "authorization_declined") {
		return new AuthenticationError(
			"authorization_denied",
			"The user declined the device code sign-in; call authenticate() again to retry.",
			{ cause: error, providerError: error.providerError },
		);
	}
	if (said === "expired_token") {
		return new AuthenticationError(
			"consent_timeout",
			"The device code expired before the user signed in; call authenticate() again for a new code.",
			{ cause: error, providerError: error.providerError },
		);
	}
	return error;
}
