import type { S3Client } from "@aws-sdk/client-s3";

/**
 * For tests against a local Ceph radosgw 16 (not for real S3): radosgw compares `If-Match` with the
 * ETag without its quotes, so the quoted ETag S3 returns (and the backend sends back, as AWS
 * expects) never matches there. This strips the quotes in the SDK's `build` step, before signing
 * (later, it would break the signature). Returns the same client.
 */
export function unquoteIfMatchForCeph(client: S3Client): S3Client {
	client.middlewareStack.add(
		(next) => async (args) => {
			const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers;
			const value = headers?.["if-match"];
			if (headers !== undefined && value !== undefined) headers["if-match"] = value.replaceAll('"', "");
			return next(args);
		},
		{ step: "build", name: "unquoteIfMatchForCeph" },
	);
	return client;
}
