/**
 * The published package as a user gets it: `pnpm pack` of core, backend-fs and cli (built),
 * `npm install` of the three tarballs in an empty folder, then `npx o365`. No workspace link and
 * no `@o365/source` condition: this runs dist/ with the dependencies npm installed.
 */

import { execFile } from "node:child_process";
import { lstat, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_DIR } from "./helpers.js";

const run = promisify(execFile);
const PACKAGES = ["core", "backend-fs", "cli"].map((name) => path.join(PACKAGE_DIR, "..", name));
/** The egress guard, loaded into every `o365` run: nothing it does may leave loopback. */
const GUARD = pathToFileURL(path.join(PACKAGE_DIR, "..", "testkit", "dist", "guard-process.js")).href;

let folder: string;

beforeAll(async () => {
	folder = await mkdtemp(path.join(tmpdir(), "o365-cli-packed-"));
	for (const dir of PACKAGES) await run("pnpm", ["pack", "--pack-destination", folder], { cwd: dir });
	const tarballs = (await readdir(folder)).filter((file) => file.endsWith(".tgz"));
	expect(tarballs).toHaveLength(3);
	await writeFile(path.join(folder, "package.json"), JSON.stringify({ name: "packed-check", private: true }));
	await run(
		"npm",
		["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs.map((file) => `./${file}`)],
		{
			cwd: folder,
			timeout: 170_000,
		},
	);
}, 180_000);

afterAll(async () => {
	if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

async function npxO365(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	const home = path.join(folder, "home");
	try {
		const { stdout, stderr } = await run("npx", ["--no-install", "o365", ...args], {
			cwd: folder,
			env: {
				PATH: process.env.PATH,
				HOME: home,
				XDG_CONFIG_HOME: path.join(home, ".config"),
				NODE_OPTIONS: `--import=${GUARD}`,
			},
		});
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code?: unknown; stdout?: string; stderr?: string };
		if (typeof failed.code !== "number") throw error;
		return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
	}
}

describe("the packed @o365/cli", () => {
	it("installs from tarballs as real folders, not workspace links", async () => {
		for (const name of ["core", "backend-fs", "cli"]) {
			const installed = await lstat(path.join(folder, "node_modules", "@o365", name));
			expect(installed.isSymbolicLink(), name).toBe(false);
			expect(installed.isDirectory(), name).toBe(true);
		}
	});

	it("runs `npx o365 --help`", async () => {
		const help = await npxO365(["--help"]);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain("Usage: o365 <command>");
	});

	it("runs `npx o365 token` and exits 4 when nobody signed in", async () => {
		const token = await npxO365(["token"]);
		expect(token.code).toBe(4);
		expect(token.stdout).toBe("");
		expect(token.stderr).toMatch(/^o365: .*o365 login.* \(sign_in_required\)\n$/);
	});
});
