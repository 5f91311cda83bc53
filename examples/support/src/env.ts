/**
 * The `O365_*` variables the examples read. With `O365_CLIENT_ID` set, an example talks to the
 * real Microsoft identity platform and Graph; without it, to the test kit (offline).
 */
import { ConfigurationError } from "@o365/core";

/** What the examples read from the environment; unset variables are `undefined`. */
export interface ExampleEnv {
	/** `O365_CLIENT_ID`: the app registration's application (client) id. */
	clientId: string | undefined;
	/** `O365_CLIENT_SECRET`: makes the app confidential (authFlowType "authorization"). */
	clientSecret: string | undefined;
	/** `O365_TENANT_ID`: the directory (tenant) id, for single-tenant apps and the app-only flow. */
	tenantId: string | undefined;
	/** `O365_REDIRECT_URI`: the console sign-in's redirect URI. */
	redirectUri: string | undefined;
	/** `O365_USERNAME` and `O365_PASSWORD`: the password (legacy) example's user. */
	username: string | undefined;
	password: string | undefined;
	/** `O365_PRIVATE_KEY_FILE` (PEM) and `O365_CERTIFICATE_THUMBPRINT`: the app's certificate credential. */
	privateKeyFile: string | undefined;
	certificateThumbprint: string | undefined;
	/** `O365_BROWSER=none`: the loopback sign-in prints the URL instead of opening a browser. */
	browser: string | undefined;
	/**
	 * `O365_AUTHORITY_CONFIG`: JSON `{ authority, knownAuthorities, authorityMetadata }` of another identity
	 * platform (a sovereign cloud, or a test kit started by a test), and `O365_GRAPH_URL`: its Graph.
	 */
	authorityConfig: AuthorityConfig | undefined;
	graphUrl: string | undefined;
}

export interface AuthorityConfig {
	authority: string;
	knownAuthorities: string[];
	authorityMetadata?: string;
}

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
	const value = env[name]?.trim();
	return value === undefined || value === "" ? undefined : value;
}

export function readExampleEnv(env: NodeJS.ProcessEnv = process.env): ExampleEnv {
	const authorityJson = read(env, "O365_AUTHORITY_CONFIG");
	let authorityConfig: AuthorityConfig | undefined;
	if (authorityJson !== undefined) {
		try {
			authorityConfig = JSON.parse(authorityJson) as AuthorityConfig;
		} catch (cause) {
			throw new ConfigurationError(
				"invalid_option",
				"O365_AUTHORITY_CONFIG is not JSON; set it to { authority, knownAuthorities, authorityMetadata } or unset it.",
				{ cause },
			);
		}
	}
	return {
		clientId: read(env, "O365_CLIENT_ID"),
		clientSecret: read(env, "O365_CLIENT_SECRET"),
		tenantId: read(env, "O365_TENANT_ID"),
		redirectUri: read(env, "O365_REDIRECT_URI"),
		username: read(env, "O365_USERNAME"),
		password: read(env, "O365_PASSWORD"),
		privateKeyFile: read(env, "O365_PRIVATE_KEY_FILE"),
		certificateThumbprint: read(env, "O365_CERTIFICATE_THUMBPRINT"),
		browser: read(env, "O365_BROWSER"),
		authorityConfig,
		graphUrl: read(env, "O365_GRAPH_URL"),
	};
}

/** The value of a variable an example cannot run without, or a message saying how to set it. */
export function requireEnv(env: NodeJS.ProcessEnv, name: string, how: string): string {
	const value = read(env, name);
	if (value === undefined) {
		throw new ConfigurationError("invalid_option", `${name} is not set; ${how}`);
	}
	return value;
}
