import { mkdtempSync, rmSync } from "node:fs";
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
	clearEgressViolations,
	egressViolations,
	installEgressGuard,
	startFakeIdentityPlatform,
	TestkitError,
	uninstallEgressGuard,
} from "../src/index.js";
import { isLoopbackHost } from "../src/loopback.js";

// The setup file's afterEach would fail these tests for the violations they provoke on purpose.
afterEach(() => clearEgressViolations());

function requestError(start: (onError: (error: Error) => void) => void): Promise<Error> {
	return new Promise((resolve) => start(resolve));
}

describe("egress guard", () => {
	it("makes fetch to a non-loopback host fail with the guard's error, and records it", async () => {
		const error = await fetch("http://egress-check.invalid/").catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TypeError); // undici's "fetch failed"
		const cause = (error as { cause?: unknown }).cause;
		expect(cause).toBeInstanceOf(TestkitError);
		expect(cause).toMatchObject({ code: "egress_blocked" });
		expect(egressViolations()).toMatchObject([{ host: "egress-check.invalid", port: 80 }]);
	});

	it("stops http.get before any DNS lookup", async () => {
		let lookups = 0;
		const error = await requestError((onError) =>
			httpGet(
				{
					host: "egress-check.invalid",
					port: 80,
					lookup: (() => {
						lookups++;
					}) as never,
				},
				() => undefined,
			).on("error", onError),
		);
		expect(error).toBeInstanceOf(TestkitError);
		expect(error.message).toMatch(/refused a connection to egress-check\.invalid:80/);
		expect(lookups).toBe(0);
	});

	it("stops https.get to a literal non-loopback address (TEST-NET 192.0.2.1) before any packet", async () => {
		const error = await requestError((onError) =>
			httpsGet("https://192.0.2.1/", () => undefined).on("error", onError),
		);
		expect(error).toBeInstanceOf(TestkitError); // not a connection error from the network: no packet left
		expect((error as TestkitError).code).toBe("egress_blocked");
		expect(egressViolations().map((violation) => violation.host)).toEqual(["192.0.2.1"]);
	});

	it("stops raw net.connect to a non-loopback port", async () => {
		const error = await requestError((onError) => {
			connect(443, "192.0.2.1").on("error", onError);
		});
		expect(error).toBeInstanceOf(TestkitError);
	});

	it("lets loopback and unix-socket connections through", async () => {
		const idp = await startFakeIdentityPlatform();
		try {
			const response = await fetch(`${idp.origin}/common/v2.0/.well-known/openid-configuration`);
			expect(response.status).toBe(200);
		} finally {
			await idp.close();
		}
		const dir = mkdtempSync(join(tmpdir(), "testkit-ipc-"));
		const path = join(dir, "s.sock");
		const server = createServer((socket: Socket) => socket.end("pong"));
		await new Promise<void>((resolve) => server.listen(path, resolve));
		try {
			const reply = await new Promise<string>((resolve, reject) => {
				const socket = connect(path);
				let data = "";
				socket.on("data", (chunk) => {
					data += String(chunk);
				});
				socket.on("end", () => resolve(data));
				socket.on("error", reject);
			});
			expect(reply).toBe("pong");
		} finally {
			await new Promise((resolve) => server.close(resolve));
			rmSync(dir, { recursive: true, force: true });
		}
		expect(egressViolations()).toEqual([]);
	});

	it("can be uninstalled and installed again", () => {
		uninstallEgressGuard();
		uninstallEgressGuard(); // idempotent
		installEgressGuard();
		installEgressGuard();
		expect(egressViolations()).toEqual([]);
	});

	it("treats only loopback names and addresses as loopback", () => {
		for (const host of [
			"localhost",
			"LOCALHOST",
			"app.localhost",
			"127.0.0.1",
			"127.8.9.10",
			"::1",
			"[::1]",
			"::ffff:127.0.0.1",
		]) {
			expect(isLoopbackHost(host), host).toBe(true);
		}
		for (const host of [
			"0.0.0.0",
			"192.0.2.1",
			"10.0.0.1",
			"localhost.example.com",
			"login.microsoftonline.com",
			"::",
			"::ffff:192.0.2.1",
		]) {
			expect(isLoopbackHost(host), host).toBe(false);
		}
	});
});
