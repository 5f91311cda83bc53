/**
 * Signing in as the app itself (client credentials), with a secret and with a certificate:
 *
 *   pnpm --filter @o365/example-app-credentials start     # against the test kit's fake
 *
 * For the real Microsoft identity platform set O365_CLIENT_ID and O365_TENANT_ID, plus
 * O365_CLIENT_SECRET, or O365_PRIVATE_KEY_FILE (PEM) and O365_CERTIFICATE_THUMBPRINT.
 */

import { readFile } from "node:fs/promises";
import { Account, type AccountOptions, type Credentials } from "@o365/core";
import { createTestCertificate, startFakeIdentityPlatform } from "@o365/testkit";

interface Variant {
	label: string;
	credentials: Credentials;
}

async function realVariants(env: NodeJS.ProcessEnv, clientId: string): Promise<Variant[]> {
	const variants: Variant[] = [];
	if (env.O365_CLIENT_SECRET)
		variants.push({ label: "secret", credentials: [clientId, env.O365_CLIENT_SECRET] });
	if (env.O365_PRIVATE_KEY_FILE && env.O365_CERTIFICATE_THUMBPRINT) {
		const privateKey = await readFile(env.O365_PRIVATE_KEY_FILE, "utf8");
		variants.push({
			label: "certificate",
			credentials: [clientId, { thumbprint: env.O365_CERTIFICATE_THUMBPRINT, privateKey }],
		});
	}
	return variants;
}

async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
	let variants: Variant[];
	let options: AccountOptions;
	let close = async () => {};
	if (env.O365_CLIENT_ID) {
		variants = await realVariants(env, env.O365_CLIENT_ID);
		if (variants.length === 0) {
			throw new Error(
				"O365_CLIENT_ID is set but no credential is: set O365_CLIENT_SECRET, or O365_PRIVATE_KEY_FILE and O365_CERTIFICATE_THUMBPRINT.",
			);
		}
		options = {
			authFlowType: "credentials",
			...(env.O365_TENANT_ID ? { tenantId: env.O365_TENANT_ID } : {}),
		};
	} else {
		// Generated at run time: no key is ever committed.
		const certificate = createTestCertificate({ subject: "o365-example-daemon" });
		const fake = await startFakeIdentityPlatform({
			clients: [
				{ clientId: "daemon-with-secret", clientSecret: "example-secret", appRoles: ["User.Read.All"] },
				{
					clientId: "daemon-with-certificate",
					certificates: [{ certificate: certificate.certificate }],
					appRoles: ["Mail.Read"],
				},
			],
		});
		close = () => fake.close();
		options = { authFlowType: "credentials", tenantId: fake.tenantId, ...fake.msalConfig() };
		variants = [
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
		];
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
		}
	} finally {
		await close();
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
	process.exitCode = 1;
});
