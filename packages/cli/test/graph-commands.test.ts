import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cliEnv, o365, seedSignIn, spawnO365, USERNAME, useHomes, useKit } from "./helpers.js";

/** 1 + 7 users, served 3 per page: three pages. */
const kit = useKit({ users: 7 });
const newHome = useHomes();

async function signedIn(): Promise<NodeJS.ProcessEnv> {
	const home = await newHome();
	await seedSignIn(kit(), home);
	return cliEnv(kit(), home);
}

describe("o365 get", () => {
	it("prints the resource as pretty JSON on stdout", async () => {
		const run = await o365(["get", "me"], await signedIn());
		expect(run.stderr).toBe("");
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^\{\n {2}"/);
		expect(JSON.parse(run.stdout)).toMatchObject({ userPrincipalName: USERNAME });
	});

	it("follows @odata.nextLink across pages with --all, with no progress line when stderr is not a terminal", async () => {
		const env = await signedIn();
		kit().graph.clearRequests();
		const run = await o365(["get", "users", "--all"], env);
		expect(run.code).toBe(0);
		expect(run.stderr).toBe("");
		const users = JSON.parse(run.stdout) as Array<{ userPrincipalName: string }>;
		expect(users.map((user) => user.userPrincipalName).sort()).toEqual(
			kit()
				.graph.users.map((user) => user.userPrincipalName)
				.sort(),
		);
		expect(users).toHaveLength(8);
		expect(kit().graph.requests.filter((request) => request.path === "/v1.0/users")).toHaveLength(3);
		const firstPage = JSON.parse((await o365(["get", "users"], env)).stdout) as { value: unknown[] };
		expect(firstPage.value).toHaveLength(3);
	});

	it("prints JSON Lines and tables with --output", async () => {
		const env = await signedIn();
		const jsonl = await o365(
			["get", "users", "--all", "-o", "jsonl", "-q", "$select=displayName,userPrincipalName"],
			env,
		);
		expect(jsonl.code).toBe(0);
		const lines = jsonl.stdout.trimEnd().split("\n");
		expect(lines).toHaveLength(8);
		for (const line of lines) expect(JSON.parse(line)).toHaveProperty("userPrincipalName");
		const table = await o365(["get", "me", "--output", "table"], env);
		expect(table.code).toBe(0);
		expect(table.stdout).toMatch(/^property\s+value\n-+\s+-+\n/);
		expect(table.stdout).toMatch(new RegExp(`userPrincipalName\\s+${USERNAME.replace(".", "\\.")}\n`));
		const users = await o365(["get", "users", "-o", "table"], env);
		expect(users.stdout.split("\n")[0]).toMatch(/^id\s+displayName\s+userPrincipalName\s+mail$/);
		expect(users.stdout.trimEnd().split("\n")).toHaveLength(2 + 3);
	});

	it("sends -q query parameters and calls the beta API with --beta", async () => {
		const env = await signedIn();
		kit().graph.clearRequests();
		const run = await o365(["get", "echo/x", "--beta", "-q", "$top=5", "-q", "$filter=a eq 'b'"], env);
		expect(run.code).toBe(0);
		const echoed = JSON.parse(run.stdout) as { query: Record<string, string>; method: string };
		expect(echoed.method).toBe("GET");
		expect(echoed.query).toMatchObject({ $top: "5", $filter: "a eq 'b'" });
		expect(kit().graph.requests.at(-1)?.path).toBe("/beta/echo/x");
	});

	it("exits 1 with one line naming Graph's error for a 404, nothing on stdout", async () => {
		const run = await o365(["get", "users/nobody@contoso.test"], await signedIn());
		expect(run.code).toBe(1);
		expect(run.stdout).toBe("");
		expect(run.stderr).toMatch(/^o365: .*404.* \(http_error\)\n$/);
	});

	it("refuses (exit 2) a full URL on another host, so the token never leaves the profile's Graph", async () => {
		const env = await signedIn();
		kit().graph.clearRequests();
		const run = await o365(["get", "https://example.com/v1.0/me"], env);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/not on http:\/\/127\.0\.0\.1:\d+.*\(invalid_option\)\n$/);
		const same = await o365(["get", `${kit().graph.origin}/v1.0/me`], env);
		expect(same.code).toBe(0);
	});
});

describe("o365 request", () => {
	it("sends a JSON body inline or from @file and prints the JSON response", async () => {
		const home = await newHome();
		await seedSignIn(kit(), home);
		const env = cliEnv(kit(), home);
		const inline = await o365(
			["request", "patch", "echo/me", "--body", '{"mobilePhone":"+1 555 0100"}'],
			env,
		);
		expect(inline.code).toBe(0);
		const echoed = JSON.parse(inline.stdout) as { method: string; body: string; contentType: string };
		expect(echoed.method).toBe("PATCH");
		expect(JSON.parse(echoed.body)).toEqual({ mobilePhone: "+1 555 0100" });
		expect(echoed.contentType).toMatch(/^application\/json/);
		const file = path.join(home, "mail.json");
		await writeFile(file, JSON.stringify({ message: { subject: "hi" } }));
		const fromFile = await o365(["request", "POST", "echo/sendMail", "--body", `@${file}`], env);
		expect(fromFile.code).toBe(0);
		expect(JSON.parse((JSON.parse(fromFile.stdout) as { body: string }).body)).toEqual({
			message: { subject: "hi" },
		});
	});

	it("reads the body from stdin with --body @-", async () => {
		const request = spawnO365(["request", "POST", "echo/stdin", "--body", "@-"], await signedIn());
		request.child.stdin.end(JSON.stringify({ from: "stdin" }));
		const result = await request.exited;
		expect(result.stderr).toBe("");
		expect(result.code).toBe(0);
		expect(JSON.parse((JSON.parse(result.stdout) as { body: string }).body)).toEqual({ from: "stdin" });
	});

	it("exits 2 for a body that is not JSON or a file that cannot be read", async () => {
		const env = await signedIn();
		for (const body of ["{not json", "@/nonexistent/body.json"]) {
			const run = await o365(["request", "POST", "echo", "--body", body], env);
			expect(run.code).toBe(2);
			expect(run.stderr).toMatch(/^o365: .*--body.* \(invalid_option\)\n$/);
		}
	});
});
