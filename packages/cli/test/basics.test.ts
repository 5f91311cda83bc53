import { describe, expect, it } from "vitest";
import { getCommand } from "../src/commands/get.js";
import { loginCommand } from "../src/commands/login.js";
import { logoutCommand } from "../src/commands/logout.js";
import { requestCommand } from "../src/commands/request.js";
import { tokenCommand } from "../src/commands/token.js";
import { whoamiCommand } from "../src/commands/whoami.js";
import { cliEnv, o365, useHomes, useKit } from "./helpers.js";

const kit = useKit();
const newHome = useHomes();

describe("o365 help, version and usage errors", () => {
	it("prints the command list on --help (exit 0) and on no command (exit 2)", async () => {
		const env = cliEnv(kit(), await newHome());
		const help = await o365(["--help"], env);
		expect(help.code).toBe(0);
		for (const name of ["login", "token", "whoami", "get", "request", "logout"])
			expect(help.stdout).toContain(`  ${name} `);
		expect(help.stderr).toBe("");
		const bare = await o365([], env);
		expect(bare.code).toBe(2);
		expect(bare.stdout).toContain("Usage: o365 <command>");
	});

	it.each([loginCommand, tokenCommand, whoamiCommand, getCommand, requestCommand, logoutCommand])(
		"documents every option of $name in `o365 $name --help`",
		async (spec) => {
			const run = await o365([spec.name, "--help"], cliEnv(kit(), await newHome()));
			expect(run.code).toBe(0);
			expect(run.stderr).toBe("");
			expect(run.stdout).toContain(`Usage: o365 ${spec.usage}`);
			for (const [name, option] of Object.entries(spec.options)) {
				expect(run.stdout).toContain(`--${name}`);
				expect(run.stdout).toContain(option.description);
			}
		},
	);

	it("prints the package version on --version", async () => {
		const run = await o365(["--version"], cliEnv(kit(), await newHome()));
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
	});

	it("exits 2 with one line on stderr for an unknown command, option or missing argument", async () => {
		const env = cliEnv(kit(), await newHome());
		const cases = [
			["frobnicate"],
			["get", "--bogus", "me"],
			["get"],
			["request", "FETCH", "me"],
			["get", "me", "-o", "xml"],
			["get", "me", "-q", "novalue"],
			["token", "--cloud", "mars"],
			["token", "--authority-host", "http://login.example.com"],
			["get", "me", "--graph-url", "ftp://127.0.0.1/"],
		];
		// One after the other: the children compete for the same two cores.
		for (const args of cases) {
			const run = await o365(args, env);
			expect(run.code, args.join(" ")).toBe(2);
			expect(run.stdout, args.join(" ")).toBe("");
			expect(run.stderr, args.join(" ")).toMatch(/^o365: .+ \(invalid_option\)\n$/);
		}
	});

	it("explains in three lines how to register an app when login has no client id, and exits 2", async () => {
		const run = await o365(["login", "--device-code"], cliEnv(kit(), await newHome()));
		expect(run.code).toBe(2);
		expect(run.stdout).toBe("");
		const lines = run.stderr.trimEnd().split("\n");
		expect(lines).toHaveLength(3);
		expect(run.stderr).toContain("App registrations");
		expect(run.stderr).toContain("Allow public client flows");
		expect(run.stderr).toContain("http://localhost");
	});

	it("exits 4 from token, get and whoami when nobody signed in, with the command to run", async () => {
		const env = cliEnv(kit(), await newHome());
		for (const args of [["token"], ["get", "me"], ["whoami"]]) {
			const run = await o365(args, env);
			expect(run.code, args.join(" ")).toBe(4);
			expect(run.stdout === "" || args[0] === "whoami").toBe(true);
			expect(run.stderr).toMatch(/o365: .*o365 login.* \(sign_in_required\)\n$/);
		}
	});
});
