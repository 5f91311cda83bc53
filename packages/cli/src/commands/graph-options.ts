/** Options `get` and `request` share. */

import type { OptionTable } from "../args.js";
import { OUTPUT_FORMATS } from "../output.js";

export const GRAPH_OPTIONS: OptionTable = {
	beta: { type: "boolean", description: "Call the beta API instead of v1.0" },
	query: {
		type: "string",
		short: "q",
		multiple: true,
		value: "KEY=VALUE",
		description: "A query parameter, e.g. -q '$select=displayName,mail' -q '$top=50'",
	},
	output: {
		type: "string",
		short: "o",
		value: "FORMAT",
		description: `Output format: ${OUTPUT_FORMATS.join(", ")} (jsonl and table print a collection's items). @default json`,
	},
};
