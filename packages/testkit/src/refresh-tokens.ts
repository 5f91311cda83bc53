/**
 * Refresh tokens: self-contained and HMAC-signed, so a fake started later with the same seed can redeem them;
 * rotation, reuse detection and revocation are tracked in memory.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { oauthError } from "./errors.js";

/** Entra's refresh tokens expire after 90 days of inactivity. */
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 86_400_000;

const PREFIX = "rt1";

/** What a refresh token carries. */
export interface RefreshTokenGrant {
	jti: string;
	/** Client id it was issued to. */
	cid: string;
	/** User object id, tenant and username. */
	oid: string;
	tid: string;
	usr: string;
	/** Scopes of the original grant. */
	scp: string;
	/** Epoch milliseconds of issue. */
	iat: number;
	/** Id of the fake instance that issued it. */
	ins: string;
}

interface Revocation {
	username?: string;
	clientId?: string;
	at: number;
}

function matches(
	filter: { username?: string; clientId?: string },
	grant: { usr: string; cid: string },
): boolean {
	return (
		(filter.username === undefined || filter.username.toLowerCase() === grant.usr.toLowerCase()) &&
		(filter.clientId === undefined || filter.clientId.toLowerCase() === grant.cid.toLowerCase())
	);
}

export class RefreshTokenStore {
	private readonly key: Buffer;
	private readonly instanceId = randomUUID();
	/** Tokens this instance issued, so revocation can name them exactly. */
	private readonly issued = new Map<string, { usr: string; cid: string }>();
	private readonly revoked = new Set<string>();
	private readonly consumed = new Set<string>();
	/** Revocations that also apply to tokens from earlier instances (same seed), by issue time. */
	private readonly revocations: Revocation[] = [];

	/** @param seed derives the HMAC key; without it the key is random and tokens die with this instance. */
	constructor(seed: string | undefined) {
		this.key =
			seed === undefined ? randomBytes(32) : createHmac("sha256", seed).update("refresh-token-key").digest();
	}

	private mac(body: string): Buffer {
		return createHmac("sha256", this.key).update(body).digest();
	}

	issue(grant: Omit<RefreshTokenGrant, "jti" | "iat" | "ins">): string {
		const full: RefreshTokenGrant = { ...grant, jti: randomUUID(), iat: Date.now(), ins: this.instanceId };
		this.issued.set(full.jti, { usr: full.usr, cid: full.cid });
		const body = Buffer.from(JSON.stringify(full)).toString("base64url");
		return `${PREFIX}.${body}.${this.mac(body).toString("base64url")}`;
	}

	/** Reads and checks a refresh token: signature, expiry, client binding, revocation, reuse. */
	verify(token: string, clientId: string, rejectReuse: boolean): RefreshTokenGrant {
		const grant = this.decode(token);
		if (!grant) throw oauthError.grant("AADSTS9002313: Invalid request. Request is malformed or invalid.");
		if (grant.cid.toLowerCase() !== clientId.toLowerCase()) {
			throw oauthError.grant(
				"AADSTS70000: Provided grant is invalid or malformed. The refresh token was issued to a different client.",
			);
		}
		if (Date.now() - grant.iat > REFRESH_TOKEN_LIFETIME_MS) {
			throw oauthError.grant(
				"AADSTS700082: The refresh token has expired due to inactivity. The token was issued on a date more than 90 days ago.",
			);
		}
		if (this.isRevoked(grant)) {
			throw oauthError.grant(
				"AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
			);
		}
		if (rejectReuse && this.consumed.has(grant.jti)) {
			throw oauthError.grant(
				"AADSTS70000: Provided grant is invalid or malformed. The refresh token was already redeemed and rotated; reuse of a rotated refresh token is refused.",
			);
		}
		return grant;
	}

	/** Marks a token as rotated away. */
	consume(grant: RefreshTokenGrant): void {
		this.consumed.add(grant.jti);
	}

	revoke(filter: { username?: string; clientId?: string } = {}): void {
		for (const [jti, owner] of this.issued) if (matches(filter, owner)) this.revoked.add(jti);
		this.revocations.push({ ...filter, at: Date.now() });
	}

	private isRevoked(grant: RefreshTokenGrant): boolean {
		if (grant.ins === this.instanceId) return this.revoked.has(grant.jti);
		return this.revocations.some((revocation) => grant.iat <= revocation.at && matches(revocation, grant));
	}

	private decode(token: string): RefreshTokenGrant | undefined {
		const [prefix, body, signature, ...rest] = token.split(".");
		if (prefix !== PREFIX || !body || !signature || rest.length > 0) return undefined;
		const expected = this.mac(body);
		const given = Buffer.from(signature, "base64url");
		if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
		try {
			return JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as RefreshTokenGrant;
		} catch {
			return undefined;
		}
	}
}
