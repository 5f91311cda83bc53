/** `o365 request <method> <path>`: any Graph call, e.g. POST me/sendMail with a JSON body. */

import { readFile } from "node:fs/promises";
import { type CommandSpec, listOption, type ParsedArgs, stringOption } from "../args.js";
import { EXIT, UsageError } from "../errors.js";
import { readGraphPath, readQuery } from "../graph-path.js";
import type { CliIo } from "../io.js";
import { formatResult, readOutputFormat } from "../output.js";
import { openAccount } from "../session.js";
import { CONNECTION_OPTIONS, resolveSettings } from "../settings.js";
import { openTokenStore } from "../token-store.js";
import { GRAPH_OPTIONS } from "./graph-options.js";
import { readResponseBody } from "./response-body.js";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

export const requestCommand: CommandSpec = {
	name: "request",
	summary: "Send any request to Microsoft Graph (POST, PATCH, DELETE…) and print the response",
	usage: "request <method> <path> [--body JSON|@FILE|@-] [--beta] [-q KEY=VALUE…] [options]",
	details: [
		"A JSON response is printed as --output says; any other body as it is; an empty one (204) prints nothing.",
	],
	options: {
		body: {
			type: "string",
			short: "b",
			value: "JSON|@FILE",
			description: "The JSON body: inline, @file to read a file, or @- to read stdin",
		},
		...GRAPH_OPTIONS,
		...CONNECTION_OPTIONS,
	},
	positionals: {
		min: 2,
		max: 2,
		names: "a <method> and a <path>, e.g. `o365 request DELETE me/messages/<id>`",
	},
	examples: [
		`o365 request POST me/sendMail --body @mail.json`,
		`o365 request PATCH me --body '{"mobilePhone":"+1 555 0100"}'`,
	],
};

export async function runRequest({ values, positionals }: ParsedArgs, io: CliIo): Promise<number> {
	const method = (positionals[0] ?? "").toUpperCase();
	if (!METHODS.includes(method)) {
		throw new UsageError(
			`unknown method '${positionals[0]?.slice(0, 20)}'; use one of ${METHODS.join(", ")}`,
		);
	}
	const format = readOutputFormat(stringOption(values, "output"));
	const params = readQuery(listOption(values, "query"));
	const body = await readBody(stringOption(values, "body"), io);
	const settings = await resolveSettings(values, io);
	const store = await openTokenStore(settings.configDir, settings.profileName, io.env);
	const account = await openAccount(settings, store, {
		apiVersion: values.beta === true ? "beta" : "v1.0",
		signal: io.signal,
	});
	const path = readGraphPath(positionals[1] ?? "", account.protocol.serviceUrl);
	const response = await account.con.oauthRequest(path, method, {
		params,
		signal: io.signal,
		...(body === undefined ? {} : { data: body as Record<string, unknown> }),
	});
	const result = await readResponseBody(response);
	if (result === null) return EXIT.ok;
	io.stdout.write(typeof result === "string" ? result : formatResult({ body: result }, format));
	return EXIT.ok;
}

async function readBody(value: string | undefined, io: CliIo): Promise<unknown> {
	if (value === undefined) return undefined;
	let text = value;
	if (value === "@-") text = await readStream(io.stdin);
	else if (value.startsWith("@")) {
		try {
			text = await readFile(value.slice(1), "utf8");
		} catch (error) {
			throw new UsageError(
				`cannot read the --body file '${value.slice(1, 200)}' (${(error as NodeJS.ErrnoException).code ?? "error"})`,
			);
		}
	}
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new UsageError("--body must be JSON (inline, @file or @-); it did not parse");
	}
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
	let text = "";
	for await (const chunk of stream)
		text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
	return text;
}
