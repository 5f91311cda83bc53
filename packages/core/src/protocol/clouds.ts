/**
 * Microsoft's national clouds as data. Each cloud has its own sign-in host and Graph host, and
 * tokens for one cloud's Graph are useless in another, so a protocol and a connection must agree
 * on the same entry. python-o365 needs a Protocol and a Connection subclass per cloud; here a
 * cloud is one option.
 *
 * Hosts from https://learn.microsoft.com/graph/deployments (US Government L4 is GCC High, L5 is
 * DoD; GCC, "L2", uses the global endpoints).
 */

import { ConfigurationError } from "../errors.js";

/** Names of the clouds in {@link CLOUDS}. */
export type CloudName = "global" | "usGovL4" | "usGovL5" | "china";

/** The endpoints of one national cloud. Hosts carry no trailing slash. */
export interface Cloud {
	/** The key of this cloud in {@link CLOUDS}. */
	readonly name: CloudName;
	/** Microsoft Entra sign-in host; authorities are `<authorityHost>/<tenant>`. */
	readonly authorityHost:
		| "https://login.microsoftonline.com"
		| "https://login.microsoftonline.us"
		| "https://login.chinacloudapi.cn";
	/** Microsoft Graph host; API calls go to `<graphHost>/<apiVersion>/…`. */
	readonly graphHost:
		| "https://graph.microsoft.com"
		| "https://graph.microsoft.us"
		| "https://dod-graph.microsoft.us"
		| "https://microsoftgraph.chinacloudapi.cn";
	/** Prefix that turns a bare Graph permission (`Mail.Read`) into a scope: `graphHost + "/"`. */
	readonly scopePrefix: `${Cloud["graphHost"]}/`;
}

/** Every national cloud, keyed by {@link CloudName}. */
export const CLOUDS: Readonly<Record<CloudName, Cloud>> = Object.freeze({
	global: Object.freeze({
		name: "global",
		authorityHost: "https://login.microsoftonline.com",
		graphHost: "https://graph.microsoft.com",
		scopePrefix: "https://graph.microsoft.com/",
	}),
	usGovL4: Object.freeze({
		name: "usGovL4",
		authorityHost: "https://login.microsoftonline.us",
		graphHost: "https://graph.microsoft.us",
		scopePrefix: "https://graph.microsoft.us/",
	}),
	usGovL5: Object.freeze({
		name: "usGovL5",
		authorityHost: "https://login.microsoftonline.us",
		graphHost: "https://dod-graph.microsoft.us",
		scopePrefix: "https://dod-graph.microsoft.us/",
	}),
	china: Object.freeze({
		name: "china",
		authorityHost: "https://login.chinacloudapi.cn",
		graphHost: "https://microsoftgraph.chinacloudapi.cn",
		scopePrefix: "https://microsoftgraph.chinacloudapi.cn/",
	}),
});

/** The cloud names, in {@link CLOUDS} order. */
export const CLOUD_NAMES: readonly CloudName[] = Object.freeze(Object.keys(CLOUDS) as CloudName[]);

/** True when `name` is one of {@link CLOUD_NAMES} (case-sensitive). */
export function isCloudName(name: unknown): name is CloudName {
	return typeof name === "string" && Object.hasOwn(CLOUDS, name);
}

/**
 * The endpoints of the cloud called `name`.
 *
 * @throws ConfigurationError `invalid_option` when `name` is not a {@link CloudName}; names come
 * from environment variables and config files, so this check runs at run time too.
 */
export function getCloud(name: CloudName): Cloud {
	if (!isCloudName(name)) {
		throw new ConfigurationError(
			"invalid_option",
			`Unknown cloud ${JSON.stringify(name)}; use one of ${CLOUD_NAMES.map((n) => `"${n}"`).join(", ")} ` +
				'("usGovL4" is GCC High, "usGovL5" is DoD; GCC tenants use "global").',
		);
	}
	return CLOUDS[name];
}

/** Sign-in hosts of the Microsoft clouds, aliases included, and the cloud authority host each belongs to. */
const MICROSOFT_SIGN_IN_HOSTS: Readonly<Record<string, Cloud["authorityHost"]>> = Object.freeze({
	"login.microsoftonline.com": "https://login.microsoftonline.com",
	"login.windows.net": "https://login.microsoftonline.com",
	"login.microsoft.com": "https://login.microsoftonline.com",
	"sts.windows.net": "https://login.microsoftonline.com",
	"login.microsoftonline.us": "https://login.microsoftonline.us",
	"login.usgovcloudapi.net": "https://login.microsoftonline.us",
	"login.chinacloudapi.cn": "https://login.chinacloudapi.cn",
	"login.partner.microsoftonline.cn": "https://login.chinacloudapi.cn",
});

/**
 * The cloud a connection signs in at: the `cloud` option when given, else the protocol's cloud
 * (tokens must come from the cloud whose Graph the protocol calls), else global. An `authority`
 * still decides the sign-in URL, but not on another Microsoft cloud's host than the protocol's.
 *
 * @throws ConfigurationError `invalid_option` when `cloud`, the protocol's cloud and the
 * authority's host name different clouds.
 */
export function signInCloud(options: {
	cloud?: CloudName;
	protocolCloud?: Cloud;
	authority?: string;
}): Cloud {
	const { protocolCloud, authority } = options;
	const optionCloud = options.cloud === undefined ? undefined : getCloud(options.cloud);
	if (optionCloud !== undefined && protocolCloud !== undefined && optionCloud.name !== protocolCloud.name) {
		throw new ConfigurationError(
			"invalid_option",
			`the cloud option is "${options.cloud}" but the protocol's cloud is "${protocolCloud.name}": tokens of one cloud are refused by another's Graph. ` +
				`Drop the cloud option (the protocol's applies), or build the protocol with { cloud: "${options.cloud}" }.`,
		);
	}
	const cloud = optionCloud ?? protocolCloud ?? CLOUDS.global;
	const host = authority === undefined ? "" : new URL(authority).hostname;
	const authorityHost = Object.hasOwn(MICROSOFT_SIGN_IN_HOSTS, host)
		? MICROSOFT_SIGN_IN_HOSTS[host]
		: undefined;
	if (authorityHost !== undefined && authorityHost !== cloud.authorityHost) {
		const source =
			options.cloud === undefined
				? `the protocol's cloud "${cloud.name}"`
				: `the cloud option "${cloud.name}"`;
		throw new ConfigurationError(
			"invalid_option",
			`the authority ${authority} is not on ${source}, which signs in at ${cloud.authorityHost}. ` +
				"Pass a protocol and cloud of the authority's cloud, or an authority on the protocol's cloud.",
		);
	}
	return cloud;
}
