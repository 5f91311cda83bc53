/**
 * Microsoft Graph, in any national cloud. Port of python-o365's `MSGraphProtocol`.
 */

import { ConfigurationError } from "../errors.js";
import { toCamelCase } from "../utils/casing.js";
import { isString, optionsReader } from "../utils/read-options.js";
import { type CloudName, getCloud } from "./clouds.js";
import { normalizeBaseUrl, Protocol } from "./protocol.js";
import { DEFAULT_SCOPES } from "./scopes.js";
import { getWindowsTimezone } from "./timezones.js";

/** Default Graph API version (python-o365's `GRAPH_API_VERSION`). */
export const GRAPH_API_VERSION = "v1.0";

/** The Graph API versions. */
export type GraphApiVersion = "v1.0" | "beta";

/** Graph's names for OData types, as python-o365 stores them in `keyword_data_store`. */
export const GRAPH_KEYWORDS: Readonly<Record<string, string>> = Object.freeze({
	message_type: "microsoft.graph.message",
	event_message_type: "microsoft.graph.eventMessage",
	file_attachment_type: "#microsoft.graph.fileAttachment",
	item_attachment_type: "#microsoft.graph.itemAttachment",
});

/**
 * The `Prefer` header value that makes Outlook return dates in `timezone`:
 * `Europe/Madrid` → `outlook.timezone="Romance Standard Time"`.
 *
 * @throws ConfigurationError `unknown_timezone` when the zone has no Windows name.
 */
export function preferTimezoneHeader(timezone: string): string {
	return `outlook.timezone="${getWindowsTimezone(timezone)}"`;
}

/** Options of {@link MSGraphProtocol}. */
export interface MSGraphProtocolOptions {
	/**
	 * Graph API version.
	 * @default "v1.0"
	 */
	apiVersion?: GraphApiVersion;
	/**
	 * Resource used when a call names none (`me`, `users/<id or UPN>`, `user:<id>`,
	 * `group:<id>`, `site:<id>`, `<address>`); an empty string also means `me`.
	 * @default "me"
	 */
	defaultResource?: string;
	/**
	 * National cloud: sets the Graph host, the scope prefix and (for the connection) the sign-in
	 * host, so no subclass is needed.
	 * @default "global"
	 */
	cloud?: CloudName;
	/**
	 * IANA time zone for dates Outlook returns; sets the `Prefer: outlook.timezone` header value.
	 * @default the machine's zone, else `UTC`
	 */
	timezone?: string;
	/**
	 * Graph base URL, before the version, e.g. a proxy or a local fake for tests. python-o365
	 * rejects this option (a `TypeError`) and needs a subclass; here it is allowed.
	 * @default the cloud's Graph host + "/", e.g. "https://graph.microsoft.com/"
	 */
	protocolUrl?: string;
	/**
	 * Prefix for bare permissions. Keep the default when `protocolUrl` points at a proxy: tokens
	 * are still issued for the real Graph resource.
	 * @default the cloud's scope prefix, e.g. "https://graph.microsoft.com/"
	 */
	protocolScopePrefix?: string;
}

const GRAPH_API_VERSIONS: ReadonlySet<string> = new Set<GraphApiVersion>(["v1.0", "beta"]);

/** Strings only here; their values (and the time zone) are checked by the constructor, with their own messages. */
const readGraphOptions = optionsReader<MSGraphProtocolOptions>(
	["apiVersion", "defaultResource", "cloud", "timezone", "protocolUrl", "protocolScopePrefix"],
	{
		apiVersion: isString,
		defaultResource: isString,
		cloud: isString,
		protocolUrl: isString,
		protocolScopePrefix: isString,
	},
	{ where: "MSGraphProtocol", code: "invalid_option" },
);

/**
 * Microsoft Graph: camelCase keys, python-o365's 25 scope helpers, `$top` up to 999 and an
 * Outlook `Prefer` time zone header (`keywordDataStore.prefer_timezone_header`) kept in step with
 * {@link Protocol.timezone}.
 *
 * @example
 * const graph = new MSGraphProtocol({ cloud: "usGovL4", timezone: "America/New_York" });
 * graph.serviceUrl; // "https://graph.microsoft.us/v1.0/"
 * graph.getScopesFor(["basic", "message_all"]);
 * // ["https://graph.microsoft.us/User.Read", "https://graph.microsoft.us/Mail.ReadWrite", "https://graph.microsoft.us/Mail.Send"]
 */
export class MSGraphProtocol extends Protocol {
	/**
	 * Largest `$top` Graph accepts, in items per page.
	 * @default 999
	 */
	override maxTopValue = 999;

	/**
	 * @throws ConfigurationError `invalid_option` for an unknown `apiVersion`, `cloud` or a
	 * malformed `protocolUrl`; `unknown_timezone` for a zone that is not IANA or has no Windows name.
	 */
	constructor(graphOptions?: MSGraphProtocolOptions) {
		const options = readGraphOptions(graphOptions);
		const apiVersion = options.apiVersion ?? GRAPH_API_VERSION;
		if (!GRAPH_API_VERSIONS.has(apiVersion)) {
			throw new ConfigurationError(
				"invalid_option",
				`Unknown Microsoft Graph apiVersion ${JSON.stringify(apiVersion)}; use "v1.0" (the default) or "beta".`,
			);
		}
		const cloud = getCloud(options.cloud ?? "global");
		super({
			protocolUrl: normalizeBaseUrl(options.protocolUrl ?? `${cloud.graphHost}/`, "protocolUrl"),
			apiVersion,
			casingFunction: toCamelCase,
			protocolScopePrefix: options.protocolScopePrefix ?? cloud.scopePrefix,
			scopeHelpers: DEFAULT_SCOPES,
			cloud: cloud.name,
			defaultResource: options.defaultResource,
			timezone: options.timezone,
		});
		Object.assign(this.keywordDataStore, GRAPH_KEYWORDS);
	}

	protected override timezoneChanged(timezone: string): void {
		this.keywordDataStore.prefer_timezone_header = preferTimezoneHeader(timezone);
	}
}
