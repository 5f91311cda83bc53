/** The adapters' options: no SDK types here, so the package root references no SDK. */

export interface GraphClientAuthProviderOptions {
	/** Scopes asked for when a request names none. @default the account's `.default` scope, e.g. `["https://graph.microsoft.com/.default"]` */
	scopes?: string[];
}

export interface KiotaAccessTokenProviderOptions {
	/**
	 * Host names that get the token, without scheme or port (Kiota compares the URL's host name);
	 * `.contoso.com` allows every subdomain. @default the Graph host of the account's cloud, e.g. `["graph.microsoft.com"]`
	 */
	allowedHosts?: Iterable<string>;
	/** Scopes asked for. @default the account's `.default` scope, e.g. `["https://graph.microsoft.com/.default"]` */
	scopes?: string[];
}
