/**
 * Runs the `o365` binary as a child process (node + tsx on the sources, egress guard installed)
 * against a fake identity platform and a fake Graph, with its config folder in a temp dir.
 */

import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
	type FakeGraph,
	type FakeIdentityPlatform,
	type NodeRun,
	runTypeScript,
	startFakeGraph,
	startFakeIdentityPlatform,
} from "@o365/testkit";
import { afterAll, afterEach, beforeAll } from "vitest";
import { saveProfile } from "../src/profiles.js";
import { openAccount } from "../src/session.js";
import { resolveSettings } from "../src/settings.js";
import { openTokenStore } from "../src/token-store.js";

export const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
export const BIN = path.join(PACKAGE_DIR, "src", "bin.ts");
export const CLIENT_ID = "0c5f8a52-5d0e-4a53-9f0e-4c2b1ac3d001";
export const USERNAME = "adele@contoso.test";
/** A valid AES-256 key (test only). */
export const TOKEN_KEY = Buffer.alloc(32, 7).toString("base64");

export interface Kit {
	idp: FakeIdentityPlatform;
	graph: FakeGraph;
}

/** Starts the fake identity platform and Graph for one test file; closed after it. */
export function useKit(options: { users?: number } = {}): () => Kit {
	let kit: Kit | undefined;
	beforeAll(async () => {
		const idp = await startFakeIdentityPlatform({
			clients: [{ clientId: CLIENT_ID, redirectUris: ["http://localhost"], isPublic: true }],
			users: [
				{ username: USERNAME },
				...Array.from({ length: options.users ?? 0 }, (_, i) => ({ username: `user${i + 1}@contoso.test` })),
			],
		});
		const graph = await startFakeGraph({ identityPlatform: idp, pageSize: 3 });
		kit = { idp, graph };
	});
	afterAll(async () => {
		await kit?.graph.close();
		await kit?.idp.close();
	});
	return () => {
		if (kit === undefined) throw new Error("the test kit has not started");
		return kit;
	};
}

/** `newHome()` makes a fresh temp HOME (its `.config` is XDG_CONFIG_HOME); all are removed after each test. */
export function useHomes(): () => Promise<string> {
	const homes: string[] = [];
	afterEach(async () => {
		for (const home of homes.splice(0)) await rm(home, { recursive: true, force: true });
	});
	return async () => {
		const home = await mkdtemp(path.join(tmpdir(), "o365-cli-"));
		homes.push(home);
		return home;
	};
}

/** The child's whole environment: nothing of the parent's O365_*, CI or SSH variables leaks in. */
export function cliEnv(kit: Kit, home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	return {
		PATH: process.env.PATH,
		HOME: home,
		XDG_CONFIG_HOME: path.join(home, ".config"),
		O365_AUTHORITY_HOST: kit.idp.origin,
		O365_GRAPH_URL: `${kit.graph.origin}/`,
		O365_TENANT_ID: kit.idp.tenantId,
		DISPLAY: ":0",
		...extra,
	};
}

export function configDirOf(home: string): string {
	return path.join(home, ".config", "o365");
}

export function o365(args: readonly string[], env: NodeJS.ProcessEnv): Promise<NodeRun> {
	return runTypeScript(BIN, args, { cwd: PACKAGE_DIR, env });
}

/** Starts `o365` and keeps it running, for tests that talk to it while it waits (login). */
export function spawnO365(args: readonly string[], env: NodeJS.ProcessEnv) {
	const child: ChildProcessWithoutNullStreams = spawn(
		process.execPath,
		["--conditions=@o365/source", "--import", "tsx", "--import", "@o365/testkit/guard-process", BIN, ...args],
		{ cwd: PACKAGE_DIR, env, stdio: "pipe" },
	);
	let stdout = "";
	let stderr = "";
	const waiters: Array<() => void> = [];
	child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
		stderr += chunk;
		for (const wake of waiters.splice(0)) wake();
	});
	const exited = new Promise<NodeRun>((resolve, reject) => {
		child.once("error", reject);
		child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
	});
	/** Resolves with the first match of `pattern` in stderr, once it appears. */
	const stderrMatch = async (pattern: RegExp): Promise<RegExpExecArray> => {
		for (;;) {
			const match = pattern.exec(stderr);
			if (match) return match;
			const more = new Promise<void>((resolve) => waiters.push(resolve));
			const ended = await Promise.race([more.then(() => false), exited.then(() => true)]);
			if (ended) {
				const last = pattern.exec(stderr);
				if (last) return last;
				throw new Error(`o365 exited before printing ${pattern}; stderr: ${stderr}`);
			}
		}
	};
	return { child, exited, stderrMatch };
}

/**
 * Signs the default user in the way `o365 login` stores it (the same token file, key and
 * profile), without the CLI's login, through the authorization code flow and the fake browser.
 * Lets the token, get and storage tests run on their own.
 */
export async function seedSignIn(kit: Kit, home: string, env: Record<string, string> = {}): Promise<void> {
	const io = {
		env: cliEnv(kit, home, { O365_CLIENT_ID: CLIENT_ID, ...env }),
		platform: process.platform,
		homedir: home,
	};
	const settings = await resolveSettings(
		{},
		{
			...io,
			stdout: process.stdout,
			stderr: process.stderr,
			stdin: process.stdin,
			signal: new AbortController().signal,
		},
	);
	const store = await openTokenStore(settings.configDir, settings.profileName, io.env);
	const account = await openAccount(settings, store);
	const { url, flow } = await account.getAuthorizationUrl(["User.Read"], { redirectUri: "http://localhost" });
	await account.requestToken(await kit.idp.browser.signIn(url, { username: USERNAME }), { flow });
	await saveProfile(settings.configDir, settings.profileName, settings.profile);
}
