/**
 * A Kiota `AccessTokenProvider` backed by an `Account`, for `BaseBearerTokenAuthenticationProvider`
 * and so for `@microsoft/msgraph-sdk`:
 *
 * ```ts
 * const adapter = new GraphRequestAdapter(kiotaAuthenticationProvider(account));
 * const client = createGraphServiceClient(adapter);
 * ```
 *
 * The token goes only to the allowed hosts (by default the Graph host of the account's cloud),
 * and only over https (or http to localhost), as Kiota's own providers do. A claims challenge
 * Kiota passes on (base64, in `additionalAuthenticationContext.claims`) forces a new token.
 */

import {
	type AccessTokenProvider,
	AllowedHostsValidator,
	BaseBearerTokenAuthenticationProvider,
} from "@microsoft/kiota-abstractions";
import { type Account, ConfigurationError, type TokenCredential } from "@o365/core";
import { readAccount, readScopes } from "./account-credential.js";
import type { KiotaAccessTokenProviderOptions } from "./options.js";

export type { KiotaAccessTokenProviderOptions };

const LOCALHOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export class KiotaAccessTokenProvider implements AccessTokenProvider {
	readonly #credential: TokenCredential;
	readonly #scopes: string[];
	readonly #hosts: AllowedHostsValidator;

	constructor(account: Account, options: KiotaAccessTokenProviderOptions = {}) {
		const { credential, defaultScope, graphHost } = readAccount(account, "KiotaAccessTokenProvider");
		this.#credential = credential;
		this.#scopes = readScopes(options?.scopes, [defaultScope], "KiotaAccessTokenProvider");
		const hosts = options?.allowedHosts === undefined ? [graphHost] : [...options.allowedHosts];
		if (hosts.some((host) => typeof host !== "string" || host === "" || /[/\s]|:\d+$/.test(host))) {
			throw new ConfigurationError(
				"invalid_option",
				"allowedHosts must be host names such as 'graph.microsoft.com', without a scheme, port or path.",
			);
		}
		this.#hosts = new AllowedHostsValidator(new Set(hosts.map((host) => host.toLowerCase())));
	}

	/** The account's access token for `url`, or `""` for a host that is not allowed (Kiota then sends none). */
	async getAuthorizationToken(
		url?: string,
		additionalAuthenticationContext?: Record<string, unknown>,
	): Promise<string> {
		if (url === undefined || !this.#hosts.isUrlHostValid(url)) return "";
		assertSecure(url);
		const claims = additionalAuthenticationContext?.claims;
		const token = await this.#credential.getToken(
			this.#scopes,
			typeof claims === "string" && claims !== "" ? { claims } : {},
		);
		return token?.token ?? "";
	}

	getAllowedHostsValidator(): AllowedHostsValidator {
		return this.#hosts;
	}
}

/** The Kiota `AuthenticationProvider` (`BaseBearerTokenAuthenticationProvider`) over {@link KiotaAccessTokenProvider}. */
export function kiotaAuthenticationProvider(
	account: Account,
	options?: KiotaAccessTokenProviderOptions,
): BaseBearerTokenAuthenticationProvider {
	return new BaseBearerTokenAuthenticationProvider(new KiotaAccessTokenProvider(account, options));
}

/** A bearer never travels in clear text, except to this machine. */
function assertSecure(url: string): void {
	const parsed = URL.canParse(url) ? new URL(url) : undefined;
	if (parsed?.protocol === "https:" || (parsed?.protocol === "http:" && LOCALHOSTS.has(parsed.hostname)))
		return;
	throw new ConfigurationError(
		"invalid_option",
		`refusing to send the access token to '${parsed?.origin ?? "an unparsable URL"}': only https URLs (or http to localhost) get one; set the request adapter's baseUrl to an https URL.`,
	);
}
