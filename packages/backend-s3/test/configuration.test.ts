import { S3Client } from "@aws-sdk/client-s3";
import { ConfigurationError } from "@o365/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AWSS3Backend, type AWSS3BackendOptions } from "../src/index.js";

const valid: AWSS3BackendOptions = { bucketName: "my-app-tokens", filename: "o365_token.txt" };

describe("options", () => {
	it.each([
		["no options", undefined, "AWSS3Backend needs its options"],
		["an empty bucketName", { ...valid, bucketName: "" }, "bucketName must be an S3 bucket name"],
		["a bucketName with capitals", { ...valid, bucketName: "My_Bucket" }, 'got "My_Bucket"'],
		["no filename", { bucketName: "my-app-tokens" }, "filename must be the token object's key"],
		["a filename starting with /", { ...valid, filename: "/o365_token.txt" }, 'not starting with "/"'],
		["a filename too long for S3", { ...valid, filename: "x".repeat(1000) }, "at most 992 bytes"],
		["a client that is not an S3Client", { ...valid, client: {} }, "client must be an S3Client"],
		["an unknown serverSideEncryption", { ...valid, serverSideEncryption: "aes" }, 'got "aes"'],
		["a kmsKeyId with SSE-S3", { ...valid, serverSideEncryption: "AES256", kmsKeyId: "k" }, "kmsKeyId needs"],
		["a timeoutMs of 0", { ...valid, timeoutMs: 0 }, "timeoutMs must be a number of milliseconds above 0"],
	])("%s is refused with backend_invalid_config", (_name, options, message) => {
		const build = () => new AWSS3Backend(options as AWSS3BackendOptions);
		expect(build).toThrow(ConfigurationError);
		expect(build).toThrow(expect.objectContaining({ code: "backend_invalid_config" }));
		expect(build).toThrow(message);
	});

	it("takes python-o365's parameters in camelCase and names the location", () => {
		const backend = new AWSS3Backend(valid);
		expect([backend.bucketName, backend.filename, String(backend)]).toEqual([
			"my-app-tokens",
			"o365_token.txt",
			"s3://my-app-tokens/o365_token.txt",
		]);
	});
});

describe("the constructor makes no request", () => {
	it("it never sends a command on the caller's client", async () => {
		const client = new S3Client({
			endpoint: "http://127.0.0.1:9",
			region: "us-east-1",
			forcePathStyle: true,
			credentials: { accessKeyId: "id", secretAccessKey: "not-a-secret" },
			maxAttempts: 1,
		});
		const sent: string[] = [];
		// The client's first middleware sees every command it is asked to send.
		client.middlewareStack.add(
			(next, context) => (args) => {
				sent.push(String(context.commandName));
				return next(args);
			},
			{ step: "initialize", name: "recordCommands" },
		);
		new AWSS3Backend({ ...valid, client, kmsKeyId: "alias/tokens", timeoutMs: 1_000 });
		expect(sent).toEqual([]);
		// The recorder works: a call sends (and fails on the closed port, as a typed error).
		await expect(new AWSS3Backend({ ...valid, client, timeoutMs: 1_000 }).read()).rejects.toMatchObject({
			code: "backend_io",
		});
		expect(sent).toContain("GetObjectCommand");
	});

	it("without a client, it makes one from the default chain without looking anything up", () => {
		expect(() => new AWSS3Backend(valid)).not.toThrow();
	});
});

describe("the client made from the default chain", () => {
	afterEach(() => {
		vi.unstubAllEnvs();
	});

	it("without a region: backend_invalid_config saying to set AWS_REGION or pass a client", async () => {
		vi.stubEnv("AWS_REGION", undefined);
		vi.stubEnv("AWS_DEFAULT_REGION", undefined);
		vi.stubEnv("AWS_PROFILE", undefined);
		vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/aws-config");
		vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
		vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true"); // no instance metadata lookup off this machine
		vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
		vi.stubEnv("AWS_SECRET_ACCESS_KEY", "not-a-secret");
		const error = await new AWSS3Backend(valid).read().catch((caught: unknown) => caught);
		expect(error).toMatchObject({ code: "backend_invalid_config" });
		expect((error as Error).message).toContain("the S3 client has no region. Set AWS_REGION, or pass client");
	});
});
