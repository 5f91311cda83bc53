/** `o365 get <path>`: GET from Microsoft Graph; `--all` follows `@odata.nextLink` across pages. */

import { type CommandSpec, listOption, type ParsedArgs, stringOption } from "../args.js";
import { EXIT } from "../errors.js";
import { readGraphPath, readQuery } from "../graph-path.js";
import type { CliIo } from "../io.js";
import { formatResult, readOutputFormat } from "../output.js";
import { openAccount } from "../session.js";
import { CONNECTION_OPTIONS, resolveSettings } from "../settings.js";
import { openTokenStore } from "../token-store.js";
import { GRAPH_OPTIONS } from "./graph-options.js";
import { readResponseBody } from "./response-body.js";

export const getCommand: CommandSpec = {
	name: "get",
	summary: "GET a Microsoft Graph resource and print it (pretty JSON by default)",
	usage: "get <path> [--all] [--beta] [-q KEY=VALUE…] [-o json|jsonl|table] [options]",
	details: [
		"<path> is relative to the Graph URL and version (me, users, me/messages, users/adele@contoso.com), or a full URL on the same Graph.",
		"Throttling (429/503 with Retry-After) is retried by the request layer.",
	],
	options: {
		all: {
			type: "boolean",
			description:
				"Follow @odata.nextLink and print every item of the collection (progress on stderr when it is a terminal)",
		},
		...GRAPH_OPTIONS,
		...CONNECTION_OPTIONS,
	},
	positionals: { min: 1, max: 1, names: "a <path>, e.g. `o365 get me`" },
	examples: [
		"o365 get me",
		"o365 get users --all -o jsonl",
		"o365 get me/messages -q '$select=subject' -q '$top=5' -o table",
	],
};

export async function runGet({ values, positionals }: ParsedArgs, io: CliIo): Promise<number> {
	const format = readOutputFormat(stringOption(values, "output"));
	const params = readQuery(listOption(values, "query"));
	const settings = await resolveSettings(values, io);
	const store = await openTokenStore(settings.configDir, settings.profileName, io.env);
	const account = await openAccount(settings, store, {
		apiVersion: values.beta === true ? "beta" : "v1.0",
		signal: io.signal,
	});
	const path = readGraphPath(positionals[0] ?? "", account.protocol.serviceUrl);
	if (values.all !== true) {
		const response = await account.con.get(path, { params, signal: io.signal });
		io.stdout.write(formatResult({ body: await readResponseBody(response) }, format));
		return EXIT.ok;
	}
	const items: unknown[] = [];
	const progress = io.stderr.isTTY === true;
	for await (const item of account.con.paginate(path, { params, signal: io.signal })) {
		items.push(item);
		if (progress && items.length % 100 === 0) io.stderr.write(`\r${items.length} items…`);
	}
	if (progress) io.stderr.write(`\r${items.length} items.\n`);
	io.stdout.write(formatResult({ items }, format));
	return EXIT.ok;
}
