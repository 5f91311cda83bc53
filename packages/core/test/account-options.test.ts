import { generateKeyPairSync } from "node:crypto";
import {
	Account,
	Connection,
	MemoryTokenBackend,
	MSBusinessCentral365Protocol,
	MSGraphProtocol,
} from "@o365/core";
import { describe, expect, it } from "vitest";
import { errorOf } from "./helpers/errors.js";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const SHA1 = "3A".repeat(20);
const SHA256 = "B7".repeat(32);

describe("Account construction", () => {
	it("defaults like python-o365: authorization flow, 'common' tenant, Graph protocol, 'me'", () => {
		const account = new Account(["client", "secret"]);
		expect(account.con.authFlowType).toBe("authorization");
		expect(account.con.tenantId).toBe("common");
		expect(account.protocol).toBeInstanceOf(MSGraphProtocol);
		expect(account.mainResource).toBe("me");
		expect(account.con.storeTokenAfterRefresh).toBe(true);
		expect(account.con.tokenBackend).toBeInstanceOf(MemoryTokenBackend);
		expect(account.con.redirectUri).toBe("https://login.microsoftonline.com/common/oauth2/nativeclient");
		expect(account.connection).toBe(account.con);
		expect(String(account)).toBe("Account Client Id: client");
	});

	it("accepts the protocol as a class or an instance, and a main resource", () => {
		const byClass = new Account(["client", "secret"], {
			protocol: MSBusinessCentral365Protocol,
			mainResource: "user:adele@contoso.test",
		});
		expect(byClass.protocol).toBeInstanceOf(MSBusinessCentral365Protocol);
		expect(byClass.protocol.defaultResource).toBe("user:adele@contoso.test");
		const instance = new MSGraphProtocol({ apiVersion: "beta" });
		expect(new Account(["client", "secret"], { protocol: instance }).protocol).toBe(instance);
	});

	it("selects a national cloud for sign-in and Graph from one option", () => {
		const account = new Account(["client", "secret"], { cloud: "china" });
		expect(account.protocol.serviceUrl).toBe("https://microsoftgraph.chinacloudapi.cn/v1.0/");
		expect(account.con.redirectUri).toBe("https://login.chinacloudapi.cn/common/oauth2/nativeclient");
	});

	it("accepts certificate credentials with a SHA-1 or SHA-256 thumbprint", () => {
		expect(() => new Account(["client", { thumbprint: SHA1, privateKey: PEM }])).not.toThrow();
		expect(() => new Account(["client", { thumbprint: SHA256, privateKey: PEM }])).not.toThrow();
		expect(
			() => new Account(["client", { thumbprintSha256: SHA256, privateKey: PEM, x5c: "MIIB" }]),
		).not.toThrow();
		const encrypted = privateKey
			.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" })
			.toString();
		expect(
			() => new Account(["client", { thumbprint: SHA1, privateKey: encrypted, passphrase: "pw" }]),
		).not.toThrow();
	});

	it.each([
		["no client id", () => new Account(["", "secret"]), "invalid_credentials", /client id is missing/],
		[
			"a secret in the public flow",
			() => new Account(["client", "secret"], { authFlowType: "public" }),
			"invalid_credentials",
			/public flow takes the client id only/,
		],
		[
			"a client id alone in the authorization flow",
			() => new Account("client"),
			"invalid_credentials",
			/authFlowType 'public'/,
		],
		["an empty secret", () => new Account(["client", ""]), "invalid_credentials", /secret is empty/],
		[
			"a thumbprint that is not hex",
			() => new Account(["client", { thumbprint: "zz", privateKey: PEM }]),
			"invalid_credentials",
			/hex/,
		],
		[
			"a short thumbprint",
			() => new Account(["client", { thumbprint: "AB12", privateKey: PEM }]),
			"invalid_credentials",
			/40 hex digits/,
		],
		[
			"a private key that is not PEM",
			() => new Account(["client", { thumbprint: SHA1, privateKey: "abc" }]),
			"invalid_credentials",
			/PEM/,
		],
		[
			"an unknown flow",
			() => new Account(["client", "secret"], { authFlowType: "device_code" as never }),
			"invalid_option",
			/authFlowType must be one of/,
		],
		[
			"an unknown option",
			() => new Account(["client", "secret"], { timezone: "UTC" } as never),
			"invalid_option",
			/unknown Account option timezone/,
		],
		[
			"an unknown cloud",
			() => new Account(["client", "secret"], { cloud: "mars" as never }),
			"invalid_option",
			/cloud "mars"/i,
		],
		[
			"a bad tenant",
			() => new Account(["client", "secret"], { tenantId: "a b" }),
			"invalid_option",
			/tenantId must be/,
		],
		[
			"a token backend that is not one",
			() => new Account(["client", "secret"], { tokenBackend: {} as never }),
			"backend_invalid_config",
			/missing loadToken/,
		],
	])("rejects %s with a typed error that says how to fix it", (_name, build, code, message) => {
		const error = errorOf(build);
		expect(error.code).toBe(code);
		expect(error.message).toMatch(message);
	});

	it("never puts the secret or the key in a configuration error", () => {
		const error = errorOf(
			() => new Account(["client", { thumbprint: SHA1, privateKey: `${PEM.slice(0, 60)}broken` }]),
		);
		expect(error.message).not.toContain(PEM.slice(30, 60));
		const wrongPassphrase = privateKey
			.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "right" })
			.toString();
		const second = errorOf(
			() =>
				new Account([
					"client",
					{ thumbprint: SHA1, privateKey: wrongPassphrase, passphrase: "wrong-passphrase" },
				]),
		);
		expect(second.message).not.toContain("wrong-passphrase");
	});

	it("Connection alone validates the same way", () => {
		expect(() => new Connection(["client", "secret"], { authFlowType: "credentials" })).toThrow(
			/tenantId is required/,
		);
		expect(new Connection("client", { authFlowType: "public" }).clientId).toBe("client");
	});

	it("an app-only account addresses no user by default", () => {
		const account = new Account(["client", "secret"], {
			authFlowType: "credentials",
			tenantId: "contoso.onmicrosoft.com",
		});
		expect(account.mainResource).toBe("");
		const explicit = new Account(["client", "secret"], {
			authFlowType: "credentials",
			tenantId: "contoso.onmicrosoft.com",
			mainResource: "users/adele@contoso.test",
		});
		expect(explicit.mainResource).toBe("users/adele@contoso.test");
	});
});
