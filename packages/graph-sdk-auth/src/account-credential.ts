/**
 * What both adapters need from an `Account`: its `TokenCredential` and its default scope. The
 * account is checked once, when an adapter is built.
 */

import { type Account, ConfigurationError, type TokenCredential } from "@o365/core";

export interface AccountCredential {
	credential: TokenCredential;
	/** The account's `.default` scope, e.g. `https://graph.microsoft.com/.default`. */
	defaultScope: string;
	/** The Graph host of the account's national cloud, e.g. `graph.microsoft.com`. */
	graphHost: string;
}

export function readAccount(account: Account, where: string): AccountCredential {
	if (
		account === null ||
		typeof account !== "object" ||
		typeof account.asTokenCredential !== "function" ||
		typeof account.protocol?.prefixScope !== "function"
	) {
		throw new ConfigurationError(
			"invalid_option",
			`${where} needs an @o365/core Account (new Account(credentials, options)); got ${account === null ? "null" : typeof account}.`,
		);
	}
	return {
		credential: account.asTokenCredential(),
		defaultScope: account.protocol.prefixScope(".default"),
		graphHost: new URL(account.protocol.cloud.graphHost).host,
	};
}

/** The requested scopes, else the defaults; anything but an array of strings is refused. */
export function readScopes(scopes: unknown, fallback: readonly string[], where: string): string[] {
	if (scopes === undefined) return [...fallback];
	if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== "string")) {
		throw new ConfigurationError(
			"invalid_scopes",
			`${where}: scopes must be an array of strings such as ['https://graph.microsoft.com/.default'].`,
		);
	}
	return scopes.length === 0 ? [...fallback] : [...scopes];
}
