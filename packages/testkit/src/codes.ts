/**
 * Authorization codes: random, single-use, bound to the client and redirect URI, expiring.
 */
import { randomBytes } from "node:crypto";
import { oauthError } from "./errors.js";
import type { FakeUser } from "./types.js";

/** Entra's codes live about 10 minutes. */
export const CODE_LIFETIME_MS = 10 * 60_000;

/** What the authorize endpoint remembered about a sign-in, for the token endpoint to check. */
export interface CodeGrant {
	clientId: string;
	redirectUri: string;
	scope: string;
	user: FakeUser;
	codeChallenge: string | undefined;
	/** `S256` or `plain`. */
	codeChallengeMethod: string | undefined;
	nonce: string | undefined;
	/** Epoch milliseconds. */
	expiresAt: number;
}

export class CodeStore {
	private readonly live = new Map<string, CodeGrant>();
	/** Codes already redeemed, remembered so a replay gets Entra's specific error. */
	private readonly redeemed = new Set<string>();

	issue(grant: Omit<CodeGrant, "expiresAt">): string {
		const code = `1.${randomBytes(32).toString("base64url")}`;
		this.live.set(code, { ...grant, expiresAt: Date.now() + CODE_LIFETIME_MS });
		return code;
	}

	/** Consumes `code` for `clientId`; throws `invalid_grant` when it is unknown, replayed, expired or someone else's. */
	redeem(code: string, clientId: string): CodeGrant {
		if (this.redeemed.has(code)) {
			throw oauthError.grant(
				"AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
			);
		}
		const grant = this.live.get(code);
		if (!grant) throw oauthError.grant("AADSTS9002313: Invalid request. Request is malformed or invalid.");
		// A code is consumed by any redemption attempt, as in Entra: a failed attempt does not leave it usable.
		this.live.delete(code);
		this.redeemed.add(code);
		if (grant.clientId.toLowerCase() !== clientId.toLowerCase()) {
			throw oauthError.grant(
				"AADSTS70000: Provided grant is invalid or malformed. The authorization code was issued to a different client.",
			);
		}
		if (Date.now() > grant.expiresAt) {
			throw oauthError.grant(
				"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
			);
		}
		return grant;
	}
}
