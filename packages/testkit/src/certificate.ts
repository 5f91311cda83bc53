import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { isIPv4 } from "node:net";
import {
	bitString,
	booleanValue,
	explicit,
	nullValue,
	objectIdentifier,
	octetString,
	sequence,
	set,
	smallInteger,
	time,
	tlv,
	unsignedInteger,
	utf8String,
} from "./der.js";

/** Options of {@link createTestCertificate}. */
export interface TestCertificateOptions {
	/** Common name (CN) of the subject, also used as issuer since the certificate is self-signed. @default "o365-testkit" */
	subject?: string;
	/** Validity in days, counted from one minute ago (so clock skew never makes it "not yet valid"). @default 365 */
	days?: number;
	/** RSA modulus length in bits. @default 2048 */
	modulusLength?: number;
	/**
	 * Host names and IP addresses (subjectAltName) for a TLS server certificate, e.g.
	 * `["127.0.0.1", "localhost"]`. @default [] (a client-assertion certificate)
	 */
	subjectAltNames?: string[];
}

/** A freshly minted self-signed certificate and its key. Nothing here is ever written to disk. */
export interface TestCertificate {
	/** PKCS#8 PEM private key, as msal-node's `clientCertificate.privateKey` wants. */
	privateKey: string;
	/** PEM certificate (`-----BEGIN CERTIFICATE-----`). */
	certificate: string;
	/** SHA-1 of the DER certificate, uppercase hex: msal-node's (deprecated) `thumbprint`. */
	thumbprintSha1: string;
	/** SHA-256 of the DER certificate, uppercase hex: msal-node's `thumbprintSha256`. */
	thumbprintSha256: string;
	/** Base64 (not base64url) DER certificate, as in a JWT `x5c` header. */
	x5c: string;
}

const SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const COMMON_NAME = "2.5.4.3";
const BASIC_CONSTRAINTS = "2.5.29.19";
const KEY_USAGE = "2.5.29.15";
const SUBJECT_ALT_NAME = "2.5.29.17";

function name(commonName: string): Buffer {
	return sequence(set(sequence(objectIdentifier(COMMON_NAME), utf8String(commonName))));
}

/** `subjectAltName`: IPv4 addresses as iPAddress [7], anything else as dNSName [2]. */
function subjectAltName(names: readonly string[]): Buffer {
	const general = names.map((entry) =>
		isIPv4(entry)
			? tlv(0x87, Buffer.from(entry.split(".").map(Number)))
			: tlv(0x82, Buffer.from(entry, "ascii")),
	);
	return sequence(objectIdentifier(SUBJECT_ALT_NAME), octetString(sequence(...general)));
}

function extensions(altNames: readonly string[]): Buffer {
	// CA:FALSE and digitalSignature only: a leaf that may sign client assertions and nothing else.
	const basicConstraints = sequence(
		objectIdentifier(BASIC_CONSTRAINTS),
		booleanValue(true),
		octetString(sequence()),
	);
	const keyUsage = sequence(
		objectIdentifier(KEY_USAGE),
		booleanValue(true),
		octetString(tlv(0x03, Buffer.from([0x07, 0x80]))),
	);
	if (altNames.length === 0) return explicit(3, sequence(basicConstraints, keyUsage));
	return explicit(3, sequence(basicConstraints, keyUsage, subjectAltName(altNames)));
}

/**
 * Builds and signs (SHA-256 with RSA) a self-signed X.509 v3 certificate for an existing key pair.
 * @returns the DER bytes of the certificate.
 */
export function buildSelfSignedCertificate(
	keys: { privateKey: KeyObject; publicKey: KeyObject },
	options: { subject?: string; days?: number; subjectAltNames?: string[] } = {},
): Buffer {
	const subject = name(options.subject ?? "o365-testkit");
	const notBefore = new Date(Date.now() - 60_000);
	const notAfter = new Date(notBefore.getTime() + (options.days ?? 365) * 86_400_000);
	const algorithm = sequence(objectIdentifier(SHA256_WITH_RSA), nullValue());
	const tbs = sequence(
		explicit(0, smallInteger(2)), // v3
		unsignedInteger(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])), // positive 16-byte serial
		algorithm,
		subject,
		sequence(time(notBefore), time(notAfter)),
		subject,
		keys.publicKey.export({ type: "spki", format: "der" }),
		extensions(options.subjectAltNames ?? []),
	);
	const signature = sign("sha256", tbs, keys.privateKey);
	return sequence(tbs, algorithm, bitString(signature));
}

/** Wraps DER bytes in PEM armour with 64-character lines. */
export function toPem(label: string, der: Buffer): string {
	const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
	return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Describes a DER certificate the way msal-node and Entra name it (thumbprints, x5c). */
export function describeCertificate(der: Buffer): Omit<TestCertificate, "privateKey"> {
	return {
		certificate: toPem("CERTIFICATE", der),
		thumbprintSha1: createHash("sha1").update(der).digest("hex").toUpperCase(),
		thumbprintSha256: createHash("sha256").update(der).digest("hex").toUpperCase(),
		x5c: der.toString("base64"),
	};
}

/**
 * Mints a self-signed X.509 certificate and RSA key at run time, so no private key is ever committed.
 * Key generation is synchronous and costs about 50–400 ms for 2048 bits.
 */
export function createTestCertificate(options: TestCertificateOptions = {}): TestCertificate {
	const keys = generateKeyPairSync("rsa", { modulusLength: options.modulusLength ?? 2048 });
	const der = buildSelfSignedCertificate(keys, options);
	return {
		privateKey: keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
		...describeCertificate(der),
	};
}
