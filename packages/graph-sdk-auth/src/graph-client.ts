/**
 * An `AuthenticationProvider` for `@microsoft/microsoft-graph-client` v3 backed by an `Account`:
 *
 * ```ts
 * const client = Client.initWithMiddleware({ authProvider: new GraphClientAuthProvider(account) });
 * ```
 *
 * graph-client attaches the token only to https Graph hosts (and `customHosts`); it asks this
 * provider per request, with the request's `AuthenticationHandlerOptions` scopes when set.
 */

import type {
	AuthenticationProvider,
	AuthenticationProviderOptions,
} from "@microsoft/microsoft-graph-client";
import type { Account, TokenCredential } from "@o365/core";
import { readAccount, readScopes } from "./account-credential.js";
import type { GraphClientAuthProviderOptions } from "./options.js";

export type { GraphClientAuthProviderOptions };

export class GraphClientAuthProvider implements AuthenticationProvider {
	readonly #credential: TokenCredential;
	readonly #scopes: string[];

	constructor(account: Account, options: GraphClientAuthProviderOptions = {}) {
		const { credential, defaultScope } = readAccount(account, "GraphClientAuthProvider");
		this.#credential = credential;
		this.#scopes = readScopes(options?.scopes, [defaultScope], "GraphClientAuthProvider");
	}

	/**
	 * The account's access token (refreshed when near expiry, one refresh for all callers). The
	 * request's scopes must be the account's resource (its `.default` or its permissions): others
	 * reject with `invalid_scopes`, since the account's token would not be accepted there.
	 */
	async getAccessToken(options?: AuthenticationProviderOptions): Promise<string> {
		const scopes = readScopes(options?.scopes, this.#scopes, "getAccessToken");
		const token = await this.#credential.getToken(scopes);
		// The account's credential resolves a token or rejects; never null.
		return token?.token ?? "";
	}
}
