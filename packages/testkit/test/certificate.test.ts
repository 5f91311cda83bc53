import { createPublicKey, sign, verify, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTestCertificate } from "../src/index.js";

describe("createTestCertificate", () => {
	it("mints a self-signed certificate that Node parses and verifies, with matching thumbprints", () => {
		const minted = createTestCertificate();
		const x509 = new X509Certificate(minted.certificate);
		expect(x509.subject).toBe("CN=o365-testkit");
		expect(x509.issuer).toBe("CN=o365-testkit");
		expect(x509.verify(x509.publicKey)).toBe(true);
		expect(x509.fingerprint.replaceAll(":", "")).toBe(minted.thumbprintSha1);
		expect(x509.fingerprint256.replaceAll(":", "")).toBe(minted.thumbprintSha256);
		expect(x509.raw.toString("base64")).toBe(minted.x5c);
		expect(x509.ca).toBe(false);
		expect(minted.thumbprintSha1).toMatch(/^[0-9A-F]{40}$/);
		// PKCS#8 PEM (the header is matched loosely so that no key-looking literal sits in the repo)
		expect(minted.privateKey).toMatch(/^-----BEGIN PRIVATE [A-Z]+-----\n/);
		// The private key belongs to the certificate.
		const signature = sign("sha256", Buffer.from("hello"), minted.privateKey);
		expect(verify("sha256", Buffer.from("hello"), x509.publicKey, signature)).toBe(true);
		expect(createPublicKey(minted.privateKey).export({ format: "jwk" })).toEqual(
			x509.publicKey.export({ format: "jwk" }),
		);
	});

	it("honours subject, validity and key size", () => {
		const minted = createTestCertificate({ subject: "My App Ünïcode", days: 2, modulusLength: 3072 });
		const x509 = new X509Certificate(minted.certificate);
		expect(x509.subject).toBe("CN=My App Ünïcode");
		const validity = Date.parse(x509.validTo) - Date.parse(x509.validFrom);
		expect(validity).toBe(2 * 86_400_000);
		expect(Date.parse(x509.validFrom)).toBeLessThanOrEqual(Date.now());
		expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
	});

	it("encodes validity beyond 2049 as GeneralizedTime", () => {
		const x509 = new X509Certificate(createTestCertificate({ days: 365 * 40 }).certificate);
		expect(new Date(x509.validTo).getUTCFullYear()).toBeGreaterThanOrEqual(2060);
	});
});
