/**
 * Registered applications and users, with every default resolved once at registration.
 */
import {
	createHash,
	createHmac,
	createPublicKey,
	type KeyObject,
	randomUUID,
	X509Certificate,
} from "node:crypto";
import { TestkitError } from "./errors.js";
import type { FakeCertificateCredential, FakeClientRegistration, FakeUser, FakeUserInput } from "./types.js";

/** A certificate credential reduced to what assertion checks need. */
export interface RegisteredCertificate {
	publicKey: KeyObject;
	/** DER bytes of the certificate, when registered as one (an `x5c` must then start with exactly these). */
	der?: Buffer;
	/** Lowercase hex SHA-1 thumbprint, when known. */
	sha1?: string;
	/** Lowercase hex SHA-256 thumbprint, when known. */
	sha256?: string;
}

export interface RegisteredClient {
	clientId: string;
	clientSecret: string | undefined;
	certificates: RegisteredCertificate[];
	redirectUris: string[];
	isPublic: boolean;
	appRoles: string[];
	defaultDelegatedScopes: string[];
}

/**
 * A UUID derived from a seed and a label (HMAC-SHA256, version-4 layout), so that a fake restarted with the same
 * seed gets the same tenant and user ids; a random one without a seed.
 */
export function seededUuid(seed: string | undefined, label: string): string {
	if (seed === undefined) return randomUUID();
	const bytes = createHmac("sha256", seed).update(label).digest().subarray(0, 16);
	bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
	bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
	const hex = bytes.toString("hex");
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function normaliseThumbprint(hex: string | undefined): string | undefined {
	return hex?.replace(/[^0-9a-f]/gi, "").toLowerCase();
}

function resolveCertificate(credential: FakeCertificateCredential, clientId: string): RegisteredCertificate {
	try {
		if ("certificate" in credential) {
			const x509 = new X509Certificate(credential.certificate);
			return {
				publicKey: x509.publicKey,
				der: x509.raw,
				sha1: createHash("sha1").update(x509.raw).digest("hex"),
				sha256: createHash("sha256").update(x509.raw).digest("hex"),
			};
		}
		return {
			publicKey: createPublicKey(credential.publicKey),
			sha1: normaliseThumbprint(credential.thumbprintSha1),
			sha256: normaliseThumbprint(credential.thumbprintSha256),
		};
	} catch (cause) {
		throw new TestkitError(
			"invalid_options",
			`A certificate of client ${clientId} could not be read; pass a PEM certificate or a PEM public key.`,
			{ cause },
		);
	}
}

/** Applications and users known to one fake. */
export class Registry {
	readonly users: FakeUser[] = [];
	private readonly clients = new Map<string, RegisteredClient>();

	constructor(
		private readonly tenantId: string,
		private readonly seed: string | undefined,
	) {}

	addClient(registration: FakeClientRegistration): void {
		if (!registration.clientId)
			throw new TestkitError("invalid_options", "A client registration needs a clientId.");
		const certificates = (registration.certificates ?? []).map((credential) =>
			resolveCertificate(credential, registration.clientId),
		);
		const hasCredential = registration.clientSecret !== undefined || certificates.length > 0;
		this.clients.set(registration.clientId.toLowerCase(), {
			clientId: registration.clientId,
			clientSecret: registration.clientSecret,
			certificates,
			redirectUris: [...(registration.redirectUris ?? [])],
			isPublic: registration.isPublic ?? !hasCredential,
			appRoles: [...(registration.appRoles ?? [])],
			defaultDelegatedScopes: [...(registration.defaultDelegatedScopes ?? ["User.Read"])],
		});
	}

	/** Client ids are GUIDs in Entra, compared case-insensitively. */
	findClient(clientId: string | undefined): RegisteredClient | undefined {
		return clientId === undefined ? undefined : this.clients.get(clientId.toLowerCase());
	}

	addUser(input: FakeUserInput): FakeUser {
		if (!input.username) throw new TestkitError("invalid_options", "A user needs a username.");
		if (this.findUser(input.username)) {
			throw new TestkitError("invalid_options", `User ${input.username} is already registered.`);
		}
		const user: FakeUser = {
			username: input.username,
			name: input.name ?? input.username.split("@")[0] ?? input.username,
			oid: input.oid ?? seededUuid(this.seed, `oid:${input.username.toLowerCase()}`),
			tenantId: input.tenantId ?? this.tenantId,
			mfaRequired: input.mfaRequired ?? false,
			...(input.password !== undefined ? { password: input.password } : {}),
		};
		this.users.push(user);
		return user;
	}

	/** User names are compared case-insensitively, as UPNs are. */
	findUser(username: string | undefined): FakeUser | undefined {
		const wanted = username?.toLowerCase();
		return wanted === undefined
			? undefined
			: this.users.find((user) => user.username.toLowerCase() === wanted);
	}

	findUserByOid(oid: string): FakeUser | undefined {
		return this.users.find((user) => user.oid === oid);
	}
}
