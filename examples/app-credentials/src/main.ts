/**
 * Signing in as the app itself (client credentials), with a secret and with a certificate:
 *
 *   pnpm --filter @o365/example-app-credentials start     # against the test kit's fake
 *
 * For the real Microsoft identity platform set O365_CLIENT_ID and O365_TENANT_ID, plus
 * O365_CLIENT_SECRET, or O365_PRIVATE_KEY_FILE (PEM) and O365_CERTIFICATE_THUMBPRINT.
 * Then each variant lists the first users of the directory (GET /users; needs User.Read.All).
 */

import { readFile } from "node:fs/promises";
import { Account, type AccountOptions, ConfigurationError, type Credentials } from "@o365/core";
import { type ExampleEnv, readExampleEnv, runMain, startTestKit, type TestKit } from "@o365/example-support";
import { createTestCertificate } from "@o365/testkit";

interface Variant {
	label: string;
	credentials: Credentials;
}

async function realVariants(env: ExampleEnv, clientId: string): Promise<Variant[]> {
	const variants: Variant[] = [];
	if (env.clientSecret) variants.push({ label: "secret", credentials: [clientId, env.clientSecret] });
	if (env.privateKeyFile && env.certificateThumbprint) {
		const privateKey = await readFile(env.privateKeyFile, "utf8");
		variants.push({
			label: "certificate",
			credentials: [clientId, { thumbprint: env.certificateThumbprint, privateKey }],
		});
	}
	if (variants.length === 0) {
		throw new ConfigurationError(
			"invalid_option",
			"O365_CLIENT_ID is set but no credential is: set O365_CLIENT_SECRET, or O365_PRIVATE_KEY_FILE and O365_CERTIFICATE_THUMBPRINT.",
		);
	}
	return variants;
}

/** Two confidential apps on the test kit, one per credential; the certificate is made at run time (none is committed). */
async function testKitVariants(): Promise<{ kit: TestKit; variants: Variant[] }> {
	const certificate = createTestCertificate({ subject: "o365-example-daemon" });
	const kit = await startTestKit({
		clients: [
			{ clientId: "daemon-with-secret", clientSecret: "example-secret", appRoles: ["User.Read.All"] },
			{
				clientId: "daemon-with-certificate",
				certificates: [{ certificate: certificate.certificate }],
				appRoles: ["User.Read.All", "Mail.Read"],
			},
		],
	});
	return {
		kit,
		variants: [
			{ label: "secret", credentials: ["daemon-with-secret", "example-secret"] },
			{
				label: "certificate",
				credentials: [
					"daemon-with-certificate",
					{
						thumbprint: certificate.thumbprintSha256,
						privateKey: certificate.privateKey,
						x5c: certificate.certificate,
					},
				],
			},
		],
	};
}

runMain(async () => {
	const env = readExampleEnv();
	let variants: Variant[];
	let options: AccountOptions;
	let kit: TestKit | undefined;
	if (env.clientId) {
		variants = await realVariants(env, env.clientId);
		options = { authFlowType: "credentials", ...(env.tenantId ? { tenantId: env.tenantId } : {}) };
	} else {
		({ kit, variants } = await testKitVariants());
		options = { authFlowType: "credentials", tenantId: kit.idp.tenantId, ...kit.accountOptions() };
	}
	try {
		for (const variant of variants) {
			const account = new Account(variant.credentials, options);
			await account.authenticate();
			const token = await account.con.getAccessToken();
			const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as {
				roles?: string[];
				exp?: number;
			};
			const minutes = Math.round(((claims.exp ?? 0) * 1000 - Date.now()) / 60_000);
			console.log(
				`App signed in with a ${variant.label}: roles ${(claims.roles ?? []).join(", ") || "(none)"}, token valid for ${minutes} min.`,
			);
			const users = (await (await account.con.get("users", { params: { $top: 3 } })).json()) as {
				value: { userPrincipalName: string }[];
			};
			console.log(`  GET /users: ${users.value.map((user) => user.userPrincipalName).join(", ")}`);
		}
	} finally {
		await kit?.close();
	}
});
