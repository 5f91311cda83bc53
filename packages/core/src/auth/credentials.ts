import { ConfigurationError } from "../errors.js";
import { nodeCrypto } from "../utils/builtins.js";
import { rememberSecret } from "../utils/known-secrets.js";

/** An app's certificate credential: the private key and the certificate's thumbprint. */
export interface CertificateCredential {
	/**
	 * Hex thumbprint of the certificate registered on the app: SHA-1 (40 hex digits, as the Azure
	 * portal shows it) or SHA-256 (64 hex digits; preferred, signs PS256).
	 */
	thumbprint?: string;
	/** Hex SHA-256 thumbprint; an alternative to a 64-digit `thumbprint`. */
	thumbprintSha256?: string;
	/** PEM private key (PKCS#8 or PKCS#1). */
	privateKey: string;
	/** Passphrase of an encrypted `privateKey`. @default undefined */
	passphrase?: string;
	/** Public certificate chain (PEM or base64 DER) sent as `x5c`, for subject-name/issuer auth. @default undefined */
	x5c?: string;
}

/**
 * python-o365's credentials: `clientId` alone (public flow), or `[clientId, clientSecret]`, or
 * `[clientId, certificate]` (confidential flows).
 */
export type Credentials =
	| string
	| readonly [clientId: string]
	| readonly [clientId: string, secret: string | CertificateCredential];

/**
 * The sign-in flow: on behalf of a user (web app), as a public app, as the app itself, or with a
 * user's password (legacy, see `password-flow.ts`).
 */
export type AuthFlowType = "authorization" | "public" | "credentials" | "password";

export const AUTH_FLOW_TYPES: readonly AuthFlowType[] = [
	"authorization",
	"public",
	"credentials",
	"password",
];

/** How the app proves who it is to the token endpoint, after validation. */
export type ClientCredential =
	| { kind: "none" }
	| { kind: "secret"; secret: string }
	| { kind: "certificate"; privateKey: string; thumbprint?: string; thumbprintSha256?: string; x5c?: string };

export interface ParsedCredentials {
	clientId: string;
	credential: ClientCredential;
}

/** Tenants that name a group of directories rather than one: the credentials flow cannot use them. */
const MULTI_TENANT = new Set(["common", "organizations", "consumers"]);

export function parseCredentials(credentials: unknown, flow: AuthFlowType): ParsedCredentials {
	const parts = typeof credentials === "string" ? [credentials] : credentials;
	if (!Array.isArray(parts) || parts.length < 1 || parts.length > 2) {
		throw new ConfigurationError(
			"invalid_credentials",
			"credentials must be the client id (public flow) or [clientId, clientSecret] / [clientId, { thumbprint, privateKey }].",
		);
	}
	const [clientId, secret] = parts as [unknown, unknown];
	if (typeof clientId !== "string" || clientId.trim() === "") {
		throw new ConfigurationError(
			"invalid_credentials",
			"the client id is missing; pass the Application (client) ID shown on the app's Overview page in Entra.",
		);
	}
	if (flow === "public") {
		if (secret !== undefined) {
			throw new ConfigurationError(
				"invalid_credentials",
				"the public flow takes the client id only; drop the secret, or use authFlowType 'authorization' for a confidential web app.",
			);
		}
		return { clientId, credential: { kind: "none" } };
	}
	// The password flow runs as a public client (client id alone) or a confidential one (with its secret).
	if (secret === undefined && flow === "password") return { clientId, credential: { kind: "none" } };
	if (secret === undefined) {
		throw new ConfigurationError(
			"invalid_credentials",
			`the '${flow}' flow needs [clientId, clientSecret] or [clientId, { thumbprint, privateKey }]; for a client id alone use authFlowType 'public'.`,
		);
	}
	if (typeof secret === "string") {
		if (secret === "") {
			throw new ConfigurationError(
				"invalid_credentials",
				"the client secret is empty; pass the secret's Value (not its ID) from Certificates & secrets.",
			);
		}
		rememberSecret(secret);
		return { clientId, credential: { kind: "secret", secret } };
	}
	return { clientId, credential: parseCertificate(secret) };
}

function parseCertificate(value: unknown): ClientCredential {
	if (value === null || typeof value !== "object") {
		throw new ConfigurationError(
			"invalid_credentials",
			"the second credential must be the client secret (a string) or { thumbprint, privateKey }.",
		);
	}
	const cert = value as Partial<Record<keyof CertificateCredential, unknown>>;
	const sha1 = hexThumbprint(cert.thumbprint, "thumbprint");
	const sha256 = hexThumbprint(cert.thumbprintSha256, "thumbprintSha256");
	if (sha1 === undefined && sha256 === undefined) {
		throw new ConfigurationError(
			"invalid_credentials",
			"the certificate credential needs `thumbprint` (hex SHA-1 or SHA-256 of the certificate uploaded to the app).",
		);
	}
	if (sha256 !== undefined && sha256.length !== 64) {
		throw new ConfigurationError("invalid_credentials", "thumbprintSha256 must be 64 hex digits.");
	}
	if (sha1 !== undefined && sha1.length !== 40 && sha1.length !== 64) {
		throw new ConfigurationError(
			"invalid_credentials",
			"thumbprint must be 40 hex digits (SHA-1) or 64 hex digits (SHA-256); copy it from Certificates & secrets.",
		);
	}
	if (typeof cert.privateKey !== "string" || !cert.privateKey.includes("PRIVATE KEY")) {
		throw new ConfigurationError(
			"invalid_credentials",
			"the certificate credential needs `privateKey` as a PEM string (the PKCS#8 or PKCS#1 key block, header line included).",
		);
	}
	const passphrase = typeof cert.passphrase === "string" ? cert.passphrase : undefined;
	rememberSecret(passphrase);
	let privateKey: string;
	try {
		// Normalises PKCS#1 and encrypted keys to the unencrypted PKCS#8 PEM msal-node signs with.
		privateKey = nodeCrypto()
			.createPrivateKey({ key: cert.privateKey, format: "pem", passphrase })
			.export({ type: "pkcs8", format: "pem" })
			.toString();
	} catch (error) {
		throw new ConfigurationError(
			"invalid_credentials",
			passphrase === undefined
				? "the certificate's privateKey could not be read; pass an unencrypted PEM key or add its `passphrase`."
				: "the certificate's privateKey could not be decrypted with the given passphrase.",
			{ cause: error },
		);
	}
	const sha256Thumbprint = sha256 ?? (sha1?.length === 64 ? sha1 : undefined);
	return {
		kind: "certificate",
		privateKey,
		...(sha256Thumbprint === undefined ? { thumbprint: sha1 } : { thumbprintSha256: sha256Thumbprint }),
		...(typeof cert.x5c === "string" ? { x5c: cert.x5c } : {}),
	};
}

function hexThumbprint(value: unknown, field: string): string | undefined {
	if (value === undefined) return undefined;
	const hex = typeof value === "string" ? value.replace(/[\s:]/g, "") : "";
	if (!/^[0-9a-fA-F]+$/.test(hex)) {
		throw new ConfigurationError("invalid_credentials", `${field} must be a hex string, e.g. "3A1F…".`);
	}
	return hex.toUpperCase();
}

/** The credentials flow acts in one directory: a multi-tenant alias cannot say which. */
export function validateTenant(tenantId: unknown, flow: AuthFlowType): string {
	if (tenantId === undefined) {
		if (flow === "credentials") {
			throw new ConfigurationError(
				"invalid_option",
				"tenantId is required for the credentials flow; pass your directory (tenant) id, not 'common'.",
			);
		}
		return "common";
	}
	if (typeof tenantId !== "string" || tenantId.trim() === "" || /[\s/?#]/.test(tenantId)) {
		throw new ConfigurationError(
			"invalid_option",
			"tenantId must be a directory (tenant) id or domain such as 'contoso.onmicrosoft.com'.",
		);
	}
	if (flow === "credentials" && MULTI_TENANT.has(tenantId.toLowerCase())) {
		throw new ConfigurationError(
			"invalid_option",
			`tenantId is required for the credentials flow; pass your directory (tenant) id, not '${tenantId}'.`,
		);
	}
	return tenantId;
}
