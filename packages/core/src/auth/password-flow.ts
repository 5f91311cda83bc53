/**
 * The password flow (OAuth's resource owner password credentials, ROPC): python-o365's
 * `auth_flow_type="password"`. Legacy: the user's password passes through the app, multi-factor
 * authentication cannot happen, and Entra refuses it for personal Microsoft accounts (at
 * `/common` and `/consumers`). Prefer the public or authorization flows.
 *
 * The password is held in a private field only: never in an error, an inspect or JSON output,
 * or a log line.
 */

import { AuthenticationError, ConfigurationError } from "../errors.js";
import { abortError } from "../utils/abort.js";
import { rememberSecret } from "../utils/known-secrets.js";
import type { AuthFlowType } from "./credentials.js";
import type { MsalClient, TokenResult } from "./msal-client.js";

/** Tenants that cannot take a password sign-in: Entra answers AADSTS9001023 there. */
const PERSONAL_ACCOUNT_TENANTS = new Set(["common", "consumers"]);

/** A user's name and password, validated; the password cannot be read back out. */
export class PasswordSignIn {
	readonly username: string;
	readonly #password: string;

	private constructor(username: string, password: string) {
		this.username = username;
		this.#password = password;
		rememberSecret(password); // redacted by value wherever a server echoes it
	}

	/**
	 * Checks the password flow's options: `username` and `password` for the password flow (and a
	 * tenant that is not `common`/`consumers`), no `password` for any other flow.
	 * @param options.tenantId the validated `tenantId` option, `undefined` when not given.
	 * @returns the sign-in for the password flow, `undefined` for the others.
	 */
	static fromOptions(
		flow: AuthFlowType,
		options: { username?: unknown; password?: unknown; tenantId: string | undefined },
	): PasswordSignIn | undefined {
		if (flow !== "password") {
			if (options.password !== undefined) {
				throw new ConfigurationError(
					"invalid_option",
					"the password option is only used by authFlowType 'password'; remove it (and never keep a user's password for the other flows).",
				);
			}
			return undefined;
		}
		const { username, password } = options;
		if (typeof username !== "string" || username.trim() === "") {
			throw new ConfigurationError(
				"invalid_option",
				"authFlowType 'password' needs `username`: the user's sign-in name, e.g. 'adele@contoso.com'.",
			);
		}
		if (typeof password !== "string" || password === "") {
			throw new ConfigurationError(
				"invalid_option",
				"authFlowType 'password' needs `password`: the user's password, as a non-empty string.",
			);
		}
		const tenantId = options.tenantId ?? "common";
		if (PERSONAL_ACCOUNT_TENANTS.has(tenantId.toLowerCase())) {
			const given = options.tenantId === undefined ? "the default 'common'" : `'${tenantId}'`;
			throw new ConfigurationError(
				"invalid_option",
				`authFlowType 'password' needs tenantId: your directory (tenant) id or domain, or 'organizations' for any work or school account. ${given} cannot be used: personal Microsoft accounts cannot sign in with a password.`,
			);
		}
		return new PasswordSignIn(username, password);
	}

	/** Signs the user in with the password grant; nothing is sent when `signal` has already aborted. */
	async signIn(msal: MsalClient, scopes: string[], signal: AbortSignal | undefined): Promise<TokenResult> {
		if (signal?.aborted) throw abortError(signal);
		try {
			return await msal.byPassword({ username: this.username, password: this.#password, scopes });
		} catch (error) {
			throw withAdvice(error);
		}
	}
}

/** What to do about the refusals a password sign-in meets most. */
function withAdvice(error: unknown): unknown {
	if (!(error instanceof AuthenticationError)) return error;
	const { error: code, suberror, errorDescription = "" } = error.providerError;
	let advice: string | undefined;
	if (code === "invalid_grant" && /^AADSTS50(076|079|158)\b/.test(errorDescription)) {
		advice =
			"This user must complete multi-factor authentication, which the password flow cannot do: sign them in with authFlowType 'public' (or 'authorization') instead.";
	} else if (code === "invalid_grant" && suberror === undefined) {
		advice = "Check the username and password (and that the user belongs to this tenant).";
	} else if (code === "invalid_client" && /^AADSTS7000218\b/.test(errorDescription)) {
		advice =
			"The app sends no secret: turn on 'Allow public client flows' (Authentication page of the app in Entra), or pass [clientId, clientSecret].";
	}
	if (advice === undefined) return error;
	return new AuthenticationError(error.code, `${error.message} ${advice}`, {
		cause: error.cause,
		providerError: error.providerError,
	});
}
