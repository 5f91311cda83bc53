/**
 * Device codes (RFC 8628) as Entra keeps them: a secret `device_code` the app polls with, a short `user_code` the
 * user types on `/devicelogin`, a lifetime, a polling interval, and the user's answer once given.
 */
import { randomBytes, randomInt } from "node:crypto";
import { OAuthError, oauthError } from "./errors.js";
import type { FakeUser } from "./types.js";

/** Entra's user codes: 9 characters from an alphabet without look-alikes. */
const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ23456789";

export interface DeviceCodeEntry {
	deviceCode: string;
	userCode: string;
	clientId: string;
	scope: string;
	/** Epoch milliseconds. */
	expiresAt: number;
	/** Polling interval the app was given, in seconds. */
	interval: number;
	status: "pending" | "approved" | "declined" | "redeemed";
	user?: FakeUser;
	/** Epoch milliseconds of the last poll, for `slow_down`. */
	lastPollAt?: number;
}

export class DeviceCodeStore {
	private readonly byDeviceCode = new Map<string, DeviceCodeEntry>();

	issue(init: { clientId: string; scope: string; lifetime: number; interval: number }): DeviceCodeEntry {
		let userCode = "";
		for (let i = 0; i < 9; i += 1) userCode += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
		const entry: DeviceCodeEntry = {
			deviceCode: `DAQABAAEAAA${randomBytes(32).toString("base64url")}`,
			userCode,
			clientId: init.clientId,
			scope: init.scope,
			expiresAt: Date.now() + init.lifetime * 1000,
			interval: init.interval,
			status: "pending",
		};
		this.byDeviceCode.set(entry.deviceCode, entry);
		return entry;
	}

	/** The live (unexpired, unanswered) code a user typed; user codes are matched ignoring case and dashes. */
	findPending(userCode: string): DeviceCodeEntry | undefined {
		const wanted = userCode.replace(/[-\s]/g, "").toUpperCase();
		for (const entry of this.byDeviceCode.values()) {
			if (entry.userCode === wanted && entry.status === "pending" && Date.now() <= entry.expiresAt) {
				return entry;
			}
		}
		return undefined;
	}

	pending(): DeviceCodeEntry[] {
		return [...this.byDeviceCode.values()].filter(
			(entry) => entry.status === "pending" && Date.now() <= entry.expiresAt,
		);
	}

	/**
	 * One poll of the token endpoint: the approved entry, or the RFC 8628 error for this moment. A poll sooner
	 * than `interval` after the previous one gets `slow_down` (and counts as the last poll).
	 */
	poll(deviceCode: string, clientId: string): DeviceCodeEntry {
		const entry = this.byDeviceCode.get(deviceCode);
		if (entry === undefined || entry.clientId.toLowerCase() !== clientId.toLowerCase()) {
			throw oauthError.grant("AADSTS70000: Provided grant is invalid or malformed.");
		}
		const now = Date.now();
		const last = entry.lastPollAt;
		entry.lastPollAt = now;
		if (entry.status === "redeemed") {
			throw oauthError.grant("AADSTS54005: The device code was already redeemed.");
		}
		if (now > entry.expiresAt) {
			throw new OAuthError(
				400,
				"expired_token",
				"AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
			);
		}
		if (entry.status === "declined") {
			throw new OAuthError(
				400,
				"authorization_declined",
				"AADSTS70019: The end-user denied the authorization request.",
			);
		}
		// 10% slack: the arrival times of two requests jitter a little even when they were sent an interval apart.
		if (last !== undefined && now - last < entry.interval * 900) {
			throw new OAuthError(
				400,
				"slow_down",
				"AADSTS70022: Polling too fast; wait the interval between requests.",
			);
		}
		if (entry.status === "pending") {
			throw new OAuthError(
				400,
				"authorization_pending",
				"AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
			);
		}
		entry.status = "redeemed";
		return entry;
	}
}
