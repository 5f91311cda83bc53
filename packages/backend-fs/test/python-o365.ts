import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { CacheDocument } from "@o365/core";

// Drives the real MSAL Python through a python-o365-equivalent script (fixtures/python_o365_equivalent.py).

const run = promisify(execFile);

/** Debian's interpreter, for which `apt-get install python3-msal` installs MSAL Python. */
export const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(import.meta.dirname, "fixtures", "python_o365_equivalent.py");

export interface PythonRequest {
	command: "check" | "signin" | "silent" | "refresh" | "scopes" | "remove";
	tokenFile: string;
	origin?: string;
	authority?: string;
	clientId?: string;
	clientSecret?: string;
	username?: string;
	password?: string;
	scopes?: string[];
}

export interface PythonAnswer {
	accessToken?: string;
	scopes?: string[] | null;
	removed?: boolean;
	msal?: string;
	error?: string;
	detail?: string;
}

/** Runs one command of the script; its one line of JSON is the answer. */
export async function python(request: PythonRequest): Promise<PythonAnswer> {
	try {
		const { stdout } = await run(PYTHON, [SCRIPT, JSON.stringify(request)], { timeout: 60_000 });
		return JSON.parse(stdout) as PythonAnswer;
	} catch (error) {
		const { stdout, stderr } = error as { stdout?: string; stderr?: string };
		if (stdout?.trim().startsWith("{")) return JSON.parse(stdout) as PythonAnswer;
		throw new Error(`${PYTHON} ${path.basename(SCRIPT)} ${request.command} failed: ${stderr ?? error}`);
	}
}

/** Fails with the install line when /usr/bin/python3 has no MSAL Python (CI installs it). */
export async function requireMsalPython(): Promise<string> {
	let answer: PythonAnswer;
	try {
		answer = await python({ command: "check", tokenFile: "/nonexistent" });
	} catch (error) {
		throw new Error(
			`${PYTHON} cannot run the python-o365 interop script (${String(error)}). Install Python and MSAL Python: apt-get install python3-msal`,
		);
	}
	if (answer.msal === undefined) {
		throw new Error(
			`MSAL Python is not installed for ${PYTHON} (${answer.detail ?? answer.error}): run apt-get install python3-msal (CI's .ci/run installs it).`,
		);
	}
	return answer.msal;
}

/** Python's `json.dumps(json.loads(text), indent=4)` of `text`. */
export async function pythonIndent4(text: string): Promise<string> {
	const code = "import json,sys; sys.stdout.write(json.dumps(json.loads(sys.argv[1]), indent=4))";
	return (await run(PYTHON, ["-c", code, text], { timeout: 60_000 })).stdout;
}

/** How many entries of each section belong to the user with `homeAccountId`. */
export function entriesOf(document: CacheDocument, homeAccountId: string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const section of ["Account", "IdToken", "AccessToken", "RefreshToken"] as const) {
		counts[section] = Object.values(document[section] ?? {}).filter(
			(entry) => entry.home_account_id === homeAccountId,
		).length;
	}
	return counts;
}
