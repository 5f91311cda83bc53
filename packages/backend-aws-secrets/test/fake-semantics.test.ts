// What moto cannot show, on the FAKE Secrets Manager (AWS's semantics, the real SDK): replayed
// requests, the secret's creation settings, deletion with and without a recovery window, typed
// errors, the time bound and the caller's AbortSignal.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import {
	DescribeSecretCommand,
	PutSecretValueCommand,
	type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { expectNoValueAnywhere, expectO365Error } from "@o365/backend-test-suite";
import { Account } from "@o365/core";
import { startFakeIdentityPlatform } from "@o365/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AWSSecretsBackend } from "../src/index.js";
import { localClient, uniqueSecretName } from "./helpers/clients.js";
import { type FakeSecretsManager, startFakeSecretsManager } from "./helpers/fake-secrets-manager.js";

let fake: FakeSecretsManager;
let client: SecretsManagerClient;
beforeAll(async () => {
	fake = await startFakeSecretsManager();
	client = localClient(fake.endpoint);
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const stagesOf = (name: string) => Object.values(fake.stages(name)).map((stages) => [...stages].sort());

describe("ClientRequestToken: each write is idempotent", () => {
	it("a PutSecretValue whose response was lost is retried with the same token: one new version", async () => {
		const secretName = uniqueSecretName("replay");
		const backend = new AWSSecretsBackend({ secretName, client });
		const first = await backend.writeIfVersion("v1", null);
		fake.loseResponses("PutSecretValue");
		const second = await backend.writeIfVersion("v2", first ?? null);
		expect(second).toBeTypeOf("string");
		expect(fake.calls.get("PutSecretValue")).toBe(2); // the lost one and the SDK's retry
		expect(stagesOf(secretName)).toEqual([["AWSPREVIOUS"], ["AWSCURRENT", "O365PENDING"]]);
		expect(await backend.readVersioned()).toEqual({ value: "v2", version: second });
	});

	it("an UpdateSecretVersionStage whose response was lost: the retry is refused, and the save is still ours", async () => {
		const secretName = uniqueSecretName("replay");
		const backend = new AWSSecretsBackend({ secretName, client });
		const first = await backend.writeIfVersion("v1", null);
		fake.loseResponses("UpdateSecretVersionStage");
		const second = await backend.writeIfVersion("v2", first ?? null);
		expect(second).toBeTypeOf("string");
		expect(await backend.readVersioned()).toEqual({ value: "v2", version: second });
		// And a stale writer is still refused after it.
		expect(
			await new AWSSecretsBackend({ secretName, client }).writeIfVersion("stale", first ?? null),
		).toBeUndefined();
	});

	it("the fake refuses a token reused with another value, and replays one with the same value without moving labels", async () => {
		const secretName = uniqueSecretName("replay");
		const backend = new AWSSecretsBackend({ secretName, client });
		await backend.write("v1");
		const token = "0123456789abcdef0123456789abcdef";
		await client.send(
			new PutSecretValueCommand({ SecretId: secretName, SecretString: "v2", ClientRequestToken: token }),
		);
		const before = fake.stages(secretName);
		await client.send(
			new PutSecretValueCommand({ SecretId: secretName, SecretString: "v2", ClientRequestToken: token }),
		);
		expect(fake.stages(secretName)).toEqual(before);
		await expect(
			client.send(
				new PutSecretValueCommand({ SecretId: secretName, SecretString: "other", ClientRequestToken: token }),
			),
		).rejects.toMatchObject({ name: "ResourceExistsException" });
	});
});

describe("the secret", () => {
	it("is created on the first save with the description and KMS key given, and not before", async () => {
		const secretName = uniqueSecretName("create");
		const backend = new AWSSecretsBackend({
			secretName,
			client,
			description: "tokens of the mail robot",
			kmsKeyId: "alias/o365",
		});
		expect(fake.calls.size).toBe(0); // the constructor sends nothing
		expect(await backend.loadToken()).toBe(false);
		await backend.write("v1");
		const described = await client.send(new DescribeSecretCommand({ SecretId: secretName }));
		expect(described.Description).toBe("tokens of the mail robot");
		expect(described.KmsKeyId).toBe("alias/o365");
		expect(fake.calls.get("CreateSecret")).toBe(1);
	});

	it("deleteToken() schedules deletion with the recovery window by default; the next save restores it", async () => {
		const secretName = uniqueSecretName("delete");
		const backend = new AWSSecretsBackend({ secretName, client, recoveryWindowInDays: 7 });
		await backend.write("v1");
		expect(await backend.deleteToken()).toBe(true);
		const described = await client.send(new DescribeSecretCommand({ SecretId: secretName }));
		expect(described.DeletedDate).toBeInstanceOf(Date);
		expect(await backend.read()).toBeUndefined();
		expect(await backend.checkToken()).toBe(false);
		expect(await backend.writeIfVersion("v2", null)).toBeTypeOf("string");
		expect(await backend.read()).toBe("v2");
		expect(fake.calls.get("RestoreSecret")).toBe(1);
	});

	it("forceDeleteWithoutRecovery deletes it at once", async () => {
		const secretName = uniqueSecretName("delete");
		const backend = new AWSSecretsBackend({ secretName, client, forceDeleteWithoutRecovery: true });
		await backend.write("v1");
		expect(await backend.deleteToken()).toBe(true);
		await expect(client.send(new DescribeSecretCommand({ SecretId: secretName }))).rejects.toMatchObject({
			name: "ResourceNotFoundException",
		});
	});

	it("lease: false makes no lease secret and offers no lease", async () => {
		const secretName = uniqueSecretName("no-lease");
		const backend = new AWSSecretsBackend({ secretName, client, lease: false });
		expect(backend.acquireLease).toBeUndefined();
		expect(backend.leaseSecretName).toBeUndefined();
		const leased = new AWSSecretsBackend({ secretName, client });
		await (await leased.acquireLease({ ttlMs: 1000, waitMs: 0 })).release();
		expect(leased.leaseSecretName).toBe(`${secretName}.lease`);
	});
});

describe("errors", () => {
	it("AccessDenied is a backend_invalid_config error naming the secret, the region and the IAM policy, never the value", async () => {
		const secretName = uniqueSecretName("denied");
		const backend = new AWSSecretsBackend({ secretName, client });
		const value = `secret-value-${secretName}`;
		fake.refuseAll("AccessDeniedException");
		const error = await backend.write(value).catch((e: unknown) => e);
		const typed = expectO365Error(error, ["backend_invalid_config"], "a write without permission");
		expect(typed.message).toContain(secretName);
		expect(typed.message).toContain("us-east-1");
		expect(typed.message).toContain("IAM policy");
		expectNoValueAnywhere(error, [value], "the AccessDenied error");
		expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(value);
	});

	for (const refusal of ["UnrecognizedClientException", "ExpiredTokenException"]) {
		it(`${refusal} (bad credentials) is backend_invalid_config too`, async () => {
			fake.refuseAll(refusal);
			const error = await new AWSSecretsBackend({ secretName: "o365-test/creds", client })
				.read()
				.catch((e: unknown) => e);
			expect(expectO365Error(error, ["backend_invalid_config"], refusal).message).toContain("credentials");
		});
	}

	it("no region anywhere: backend_invalid_config saying to pass regionName, before any request", async () => {
		const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
		const config = {
			AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
			AWS_EC2_METADATA_DISABLED: process.env.AWS_EC2_METADATA_DISABLED,
		};
		delete process.env.AWS_REGION;
		delete process.env.AWS_DEFAULT_REGION;
		process.env.AWS_CONFIG_FILE = "/nonexistent/o365-test-aws-config";
		// Off EC2 the SDK's look at the instance metadata service fails too; here it must not leave loopback.
		process.env.AWS_EC2_METADATA_DISABLED = "true";
		try {
			const error = await new AWSSecretsBackend({ secretName: "o365-test/no-region" })
				.read()
				.catch((e: unknown) => e);
			expect(expectO365Error(error, ["backend_invalid_config"], "no region").message).toContain("regionName");
		} finally {
			for (const [name, value] of Object.entries({ ...saved, ...config })) {
				if (value === undefined) delete process.env[name];
				else process.env[name] = value;
			}
		}
	});

	it("a secret ResourceNotFound under a compare-and-set is 'nothing written', and a read finds nothing", async () => {
		const backend = new AWSSecretsBackend({ secretName: uniqueSecretName("missing"), client });
		expect(await backend.read()).toBeUndefined();
		expect(await backend.writeIfVersion("v", "0123456789abcdef0123456789abcdef")).toBeUndefined();
		expect(await backend.exists()).toBe(false);
	});
});

describe("every call is bounded", () => {
	let silent: Server;
	let silentEndpoint: string;
	beforeAll(async () => {
		// Accepts requests and never answers them: an unreachable region, a dead proxy.
		silent = createServer(() => {});
		await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
		silentEndpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
	});
	afterAll(
		() =>
			new Promise<void>((resolve) => {
				silent.closeAllConnections();
				silent.close(() => resolve());
			}),
	);

	it("a server that never answers: backend_io naming timeoutMs, from every primitive", async () => {
		const backend = new AWSSecretsBackend({
			secretName: "o365-test/silent",
			client: localClient(silentEndpoint),
			timeoutMs: 300,
		});
		for (const call of [
			() => backend.read(),
			() => backend.write("v"),
			() => backend.exists(),
			() => backend.remove(),
		]) {
			const error = await call().catch((e: unknown) => e);
			expect(expectO365Error(error, ["backend_io"], "a silent server").message).toContain("timeoutMs");
		}
		const lease = await backend.acquireLease({ ttlMs: 1000, waitMs: 0 }).catch((e: unknown) => e);
		expectO365Error(lease, ["backend_io"], "a lease on a silent server");
	});

	it("the caller's AbortSignal ends a waiting call with its reason", async () => {
		const backend = new AWSSecretsBackend({
			secretName: "o365-test/silent",
			client: localClient(silentEndpoint),
		});
		const controller = new AbortController();
		const reading = backend.read({ signal: controller.signal });
		const reason = new Error("the caller gave up");
		controller.abort(reason);
		await expect(reading).rejects.toBe(reason);
	});
});

describe("quarantine", () => {
	it("moves an unreadable value to its own secret; the next sign-in saves normally", async () => {
		const secretName = uniqueSecretName("corrupt");
		const backend = new AWSSecretsBackend({ secretName, client });
		await backend.write('{"Account": {"trunc');
		const error = await backend.loadToken().catch((e: unknown) => e);
		const typed = expectO365Error(error, ["backend_corrupt"], "loading a corrupt value");
		const aside = /(o365-test\/corrupt\/[^\s"]+\.corrupt-[0-9TZ.-]+)/.exec(typed.message)?.[1];
		expect(aside, typed.message).toBeDefined();
		const kept = new AWSSecretsBackend({ secretName: aside as string, client, lease: false });
		expect(await kept.read()).toBe('{"Account": {"trunc');
		expect(await backend.read()).toBeUndefined();
		expect(await backend.writeIfVersion("{}", null)).toBeTypeOf("string");
		expect(await backend.read()).toBe("{}");
	});

	it("leaves alone a value another process saved after the unreadable one was read", async () => {
		const secretName = uniqueSecretName("corrupt");
		const backend = new AWSSecretsBackend({ secretName, client });
		await backend.write("garbage");
		expect(await backend.read()).toBe("garbage");
		await new AWSSecretsBackend({ secretName, client }).write("newer");
		expect(await backend.quarantine()).toBeUndefined();
		expect(await backend.read()).toBe("newer");
	});
});

describe("what a refresh costs", () => {
	it("a refresh under the lease, nobody waiting, is 8 calls; with lease: false, 2", async () => {
		const app = {
			clientId: "cost-app",
			clientSecret: "cost-secret-value",
			redirectUri: "http://localhost:7072/cb",
		};
		const idp = await startFakeIdentityPlatform({
			clients: [{ ...app, redirectUris: [app.redirectUri] }],
			users: [{ username: "cost.user@contoso.test" }],
		});
		try {
			const secretName = uniqueSecretName("cost");
			const signIn = async (backend: AWSSecretsBackend) => {
				const account = new Account([app.clientId, app.clientSecret], {
					tenantId: idp.tenantId,
					redirectUri: app.redirectUri,
					tokenBackend: backend,
					...idp.msalConfig(),
				});
				const { url, flow } = await account.getAuthorizationUrl(["basic"]);
				await account.requestToken(await idp.browser.signIn(url), { flow });
				return account;
			};
			const leased = await signIn(new AWSSecretsBackend({ secretName, client }));
			await leased.con.getAccessToken({ forceRefresh: true }); // the lease secret exists from here on
			fake.calls.clear();
			await leased.con.getAccessToken({ forceRefresh: true });
			expect(Object.fromEntries(fake.calls)).toEqual({
				GetSecretValue: 2, // the lease, the token
				PutSecretValue: 3, // take the lease, save, release
				UpdateSecretVersionStage: 3,
			});

			const unleased = await signIn(
				new AWSSecretsBackend({ secretName: `${secretName}-no-lease`, client, lease: false }),
			);
			fake.calls.clear();
			await unleased.con.getAccessToken({ forceRefresh: true });
			expect(Object.fromEntries(fake.calls)).toEqual({ PutSecretValue: 1, UpdateSecretVersionStage: 1 });
		} finally {
			await idp.close();
		}
	});
});
