import { X509Certificate } from "node:crypto";
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCertificate, type FakeGraph, startFakeGraph } from "../src/index.js";

/** GET over https, trusting `ca` only: the status and the peer certificate's names. */
function httpsGet(url: string, ca: string | undefined, token: string) {
	return new Promise<{ status: number; body: string }>((resolve, reject) => {
		const req = request(url, { ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
			let body = "";
			res.setEncoding("utf8");
			res.on("data", (chunk: string) => {
				body += chunk;
			});
			res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
		});
		req.on("error", reject);
		req.end();
	});
}

describe("startFakeGraph({ tls: true })", () => {
	let graph: FakeGraph;
	beforeAll(async () => {
		graph = await startFakeGraph({ tls: true, users: 2 });
	});
	afterAll(async () => {
		await graph.close();
	});

	it("serves https with a certificate for 127.0.0.1 and localhost that clients trust as their ca", async () => {
		expect(graph.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
		expect(graph.serviceUrl).toBe(`${graph.origin}/v1.0/`);
		const certificate = new X509Certificate(graph.certificate ?? "");
		expect(certificate.subjectAltName).toBe("IP Address:127.0.0.1, DNS:localhost");
		expect(certificate.checkIP("127.0.0.1")).toBe("127.0.0.1");

		const answer = await httpsGet(`${graph.serviceUrl}users`, graph.certificate, "opaque-test-token");
		expect(answer.status).toBe(200);
		expect((JSON.parse(answer.body) as { value: unknown[] }).value).toHaveLength(2);
		expect(graph.requests.at(-1)?.path).toBe("/v1.0/users");
		const localhost = graph.serviceUrl.replace("127.0.0.1", "localhost");
		expect((await httpsGet(`${localhost}users`, graph.certificate, "opaque-test-token")).status).toBe(200);
	});

	it("is refused by a client that does not trust its certificate", async () => {
		await expect(httpsGet(`${graph.serviceUrl}users`, undefined, "opaque-test-token")).rejects.toThrow(
			/self.signed|unable to verify/i,
		);
		const other = createTestCertificate({ subjectAltNames: ["127.0.0.1"] }).certificate;
		await expect(httpsGet(`${graph.serviceUrl}users`, other, "opaque-test-token")).rejects.toThrow();
	});

	it("serves plain http without the option, with no certificate", async () => {
		const plain = await startFakeGraph();
		try {
			expect(plain.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(plain.certificate).toBeUndefined();
		} finally {
			await plain.close();
		}
	});
});
