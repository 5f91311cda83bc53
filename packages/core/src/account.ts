import type { AuthorizationFlow, RedirectResponse } from "./auth/authorization-flow.js";
import type { BrowserOpener } from "./auth/browser-opener.js";
import { type ConsentHandler, consoleConsent, warnAboutNativeClient } from "./auth/console-consent.js";
import { isTokenCredential } from "./auth/credential-token-source.js";
import type { Credentials } from "./auth/credentials.js";
import type { DeviceCodeInfo } from "./auth/device-code.js";
import { Deadline } from "./auth/sign-in-deadline.js";
import { createAccountCredential, type TokenCredential } from "./auth/token-credential.js";
import { Connection } from "./connection.js";
import {
	type AuthorizationUrlOptions,
	CONNECTION_OPTION_CHECKS,
	CONNECTION_OPTION_KEYS,
	type ConnectionOptions,
	type RequestTokenOptions,
	readRequestTokenOptions,
} from "./connection-options.js";
import { ConfigurationError } from "./errors.js";
import type { CloudName } from "./protocol/clouds.js";
import { MSGraphProtocol } from "./protocol/ms-graph-protocol.js";
import { Protocol } from "./protocol/protocol.js";
import { resolveMainResource } from "./protocol/resource.js";
import { readRawScopes } from "./protocol/scopes.js";
import { abortError, raceSignal } from "./utils/abort.js";
import {
	isAbsoluteUrl,
	isFunction,
	isOneOf,
	isSignal,
	isString,
	isTimerMs,
	type OptionCheck,
	optionsReader,
} from "./utils/read-options.js";

/** A protocol class `Account` instantiates with the main resource and cloud. */
export type ProtocolClass = new (options: { defaultResource?: string; cloud?: CloudName }) => Protocol;

export interface AccountOptions extends Omit<ConnectionOptions, "protocol"> {
	/** The API protocol, as a class or an instance. @default MSGraphProtocol */
	protocol?: Protocol | ProtocolClass;
	/** The resource calls address by default (`me`, `users/x@y`, `user:x@y`, `group:…`, `site:…`). @default the protocol's (`me`; `""` for the credentials flow) */
	mainResource?: string;
}

const isProtocolOption: OptionCheck = (value) =>
	value instanceof Protocol || (typeof value === "function" && value.prototype instanceof Protocol)
		? undefined
		: "a Protocol instance or class, e.g. MSGraphProtocol or new MSGraphProtocol({ cloud: 'china' })";

const readAccountOptions = optionsReader<AccountOptions>(
	[...CONNECTION_OPTION_KEYS.filter((key) => key !== "protocol"), "protocol", "mainResource"],
	{ ...CONNECTION_OPTION_CHECKS, protocol: isProtocolOption, mainResource: isString },
	{ where: "Account", code: "invalid_option", strict: true },
);

/** How `authenticate()` signs a user in. */
export type SignInMethod = "console" | "deviceCode" | "loopback";

export interface AuthenticateOptions {
	/**
	 * Scopes or scope helpers to consent to (user flows), e.g. `["basic", "message_all"]`. Not used
	 * by the credentials flow; optional for the password flow. @default the protocol's `.default` (password flow)
	 */
	scopes?: string | readonly string[];
	/**
	 * How the user signs in (public and authorization flows): `"console"` prints the URL and reads
	 * the pasted redirect (python-o365's way; Microsoft's `nativeclient` page now often breaks it),
	 * `"deviceCode"` shows a code to type on any device, `"loopback"` opens a browser that comes
	 * back to a local server. @default "console"
	 */
	method?: SignInMethod;
	/** Cancels the sign-in, whatever the method; rejects with code `aborted`. */
	signal?: AbortSignal;
	/** How long to wait for the user, in milliseconds (every method). @default 300000 (5 minutes) */
	consentTimeoutMs?: number;
	/**
	 * Where progress messages go; `null` for none.
	 * @default process.stdout for the console method (null with a custom handleConsent), process.stderr for deviceCode and loopback
	 */
	output?: NodeJS.WritableStream | null;
	/** Console only: the redirect URI. @default the connection's `redirectUri` */
	redirectUri?: string;
	/** Console only: shows the URL and returns the redirected URL, or `null` to abort. @default consoleConsent() */
	handleConsent?: ConsentHandler;
	/**
	 * Device code only: shows the code to the user; awaited (when it returns a promise) before
	 * polling starts, and a throw ends the sign-in. @default writes `info.message` to `output`
	 */
	onDeviceCode?: (info: DeviceCodeInfo) => void | Promise<void>;
	/**
	 * Loopback only: opens the sign-in URL; `null` never opens one. When it resolves `false` (or is
	 * `null`) the URL is printed to `output` for the user to open.
	 * @default the platform's opener (xdg-open, open, or cmd's start)
	 */
	openBrowser?: BrowserOpener | null;
	/** Loopback only: the local port on 127.0.0.1 (register `http://localhost:<port>` when fixed). @default 0 (a free port) */
	port?: number;
	/** Loopback only: the HTML page the browser shows after signing in. @default a short built-in page */
	successPage?: string;
	/**
	 * Loopback only: the HTML page shown when the sign-in failed. Its arguments are what the
	 * identity platform (or a forged request) sent: escape them. @default a built-in page (escaped)
	 */
	errorPage?: (error: { error: string; description: string }) => string;
}

const isOutput: OptionCheck = (value) =>
	value === null || (typeof value === "object" && typeof (value as { write?: unknown }).write === "function")
		? undefined
		: "a writable stream such as process.stdout, or null for no messages";

const isPort: OptionCheck = (value) =>
	Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535
		? undefined
		: "a port number from 0 (any free port) to 65535";

/** Options only one method uses: given with another method they are a mistake, not a no-op. */
const METHOD_OPTIONS: Readonly<Record<SignInMethod, readonly (keyof AuthenticateOptions)[]>> = {
	console: ["redirectUri", "handleConsent"],
	deviceCode: ["onDeviceCode"],
	loopback: ["openBrowser", "port", "successPage", "errorPage"],
};

/** `scopes` is read here and checked by getScopesFor (it has its own error code). */
const readAuthenticateOptions = optionsReader<AuthenticateOptions>(
	[
		"scopes",
		"method",
		"signal",
		"consentTimeoutMs",
		"output",
		"redirectUri",
		"handleConsent",
		"onDeviceCode",
		"openBrowser",
		"port",
		"successPage",
		"errorPage",
	],
	{
		method: isOneOf(["console", "deviceCode", "loopback"]),
		redirectUri: isAbsoluteUrl,
		handleConsent: isFunction,
		signal: isSignal,
		consentTimeoutMs: isTimerMs,
		output: isOutput,
		onDeviceCode: isFunction,
		openBrowser: (value) => (value === null ? undefined : isFunction(value)),
		port: isPort,
		successPage: isString,
		errorPage: isFunction,
	},
	{ where: "authenticate()", code: "invalid_option" },
);

/**
 * python-o365's `Account`: the entry point. Holds the protocol and a {@link Connection}, signs
 * users (or the app) in, and knows which resource calls address.
 */
export class Account {
	readonly protocol: Protocol;
	readonly con: Connection;
	readonly mainResource: string;

	/**
	 * @param credentials - the client id, `[clientId, secret]` or `[clientId, certificate]`; or any
	 *   `TokenCredential` (e.g. `@azure/identity`'s `ManagedIdentityCredential`), which then supplies
	 *   every access token (asked for the protocol's `.default` scope) and signs in by itself.
	 */
	constructor(credentials: Credentials | TokenCredential, accountOptions?: AccountOptions) {
		const options = readAccountOptions(accountOptions);
		const { protocol: protocolOption, mainResource, ...connectionOptions } = options;
		const protocol =
			protocolOption instanceof Protocol
				? protocolOption
				: new (protocolOption ?? MSGraphProtocol)({
						...(mainResource === undefined ? {} : { defaultResource: mainResource }),
						...(options.cloud === undefined ? {} : { cloud: options.cloud }),
					});
		this.protocol = protocol;
		this.mainResource = resolveMainResource({
			protocol,
			mainResource,
			authFlowType:
				options.authFlowType ?? (isTokenCredential(credentials) ? "credentials" : "authorization"),
		});
		this.con = new Connection(credentials, { ...connectionOptions, protocol });
	}

	/** Alias of {@link Account.con}. */
	get connection(): Connection {
		return this.con;
	}

	get username(): string | undefined {
		return this.con.username;
	}

	set username(username: string | undefined) {
		this.con.username = username;
	}

	/** Whether a usable token is stored for the selected user (loads the backend the first time). */
	isAuthenticated(): Promise<boolean> {
		return this.con.isAuthenticated();
	}

	getAuthenticatedUsernames(): Promise<string[]> {
		return this.con.getAuthenticatedUsernames();
	}

	/**
	 * Signs in. User flows, by `method`: `"console"` builds the consent URL for `scopes`, lets
	 * `handleConsent` show it and return the redirected URL, then redeems it; `"deviceCode"` shows
	 * a code (`onDeviceCode`) and polls until the user typed it; `"loopback"` opens a browser
	 * (`openBrowser`) that comes back to a server on 127.0.0.1. Credentials flow: gets the app token.
	 * Password flow: signs the user in with their password, no browser or console involved.
	 * Resolves `true` when signed in, `false` when the consent step returned nothing; failures
	 * (refusal, state mismatch, rejected credentials, timeout) reject with typed errors.
	 */
	async authenticate(authenticateOptions?: AuthenticateOptions): Promise<boolean> {
		const options = readAuthenticateOptions(authenticateOptions);
		if (options.signal?.aborted) throw abortError(options.signal);
		if (this.con.authFlowType === "credentials") return this.requestToken(null, { signal: options.signal });
		if (this.con.authFlowType === "password") {
			return this.requestToken(null, {
				signal: options.signal,
				...(options.scopes === undefined
					? {}
					: { requestedScopes: this.protocol.getScopesFor(options.scopes) }),
			});
		}
		if (options.scopes === undefined) {
			throw new ConfigurationError(
				"invalid_scopes",
				"authenticate() needs `scopes`, e.g. { scopes: ['basic', 'message_all'] }: python-o365 requested every helper scope, we ask you to choose.",
			);
		}
		const method = options.method ?? "console";
		for (const [other, names] of Object.entries(METHOD_OPTIONS)) {
			const misplaced = other === method ? undefined : names.find((name) => options[name] !== undefined);
			if (misplaced !== undefined) {
				throw new ConfigurationError(
					"invalid_option",
					`authenticate(): \`${misplaced}\` belongs to method '${other}', but this sign-in uses '${method}'; remove it or set method: '${other}'.`,
				);
			}
		}
		const timeoutMs = options.consentTimeoutMs ?? 300_000;
		if (method === "console") return this.#consoleSignIn(options.scopes, options, timeoutMs);
		const scopes = this.protocol.getScopesFor(options.scopes);
		const output = options.output !== undefined ? options.output : process.stderr;
		if (method === "deviceCode") {
			return this.con.requestTokenByDeviceCode(scopes, {
				onDeviceCode: options.onDeviceCode ?? ((info) => void output?.write(`${info.message}\n`)),
				signal: options.signal,
				timeoutMs,
			});
		}
		// Loaded on first use: the local server and the browser opener serve this method only.
		const { signInWithLoopback } = await import("./auth/loopback-sign-in.js");
		return signInWithLoopback(this.con, {
			scopes,
			openBrowser: options.openBrowser,
			port: options.port ?? 0,
			successPage: options.successPage,
			errorPage: options.errorPage,
			signal: options.signal,
			timeoutMs,
			output,
		});
	}

	/** python-o365's console sign-in: print the URL, read the redirected URL the user pastes. */
	async #consoleSignIn(
		requestedScopes: string | readonly string[],
		options: AuthenticateOptions,
		timeoutMs: number,
	): Promise<boolean> {
		const output =
			options.output !== undefined ? options.output : options.handleConsent ? null : process.stdout;
		const handleConsent = options.handleConsent ?? consoleConsent();
		const { url, flow } = await this.getAuthorizationUrl(requestedScopes, {
			...(options.redirectUri === undefined ? {} : { redirectUri: options.redirectUri }),
		});
		if (output) warnAboutNativeClient(output, flow.redirectUri);
		const deadline = new Deadline(options.signal, timeoutMs);
		let redirected: Awaited<ReturnType<ConsentHandler>>;
		try {
			const answer = handleConsent(url, { signal: deadline.signal });
			redirected = isThenable(answer) ? await raceSignal(Promise.resolve(answer), deadline.signal) : answer;
		} catch (error) {
			throw deadline.explain(error, "no consent arrived");
		} finally {
			deadline.dispose();
		}
		if (redirected === null || redirected === undefined || redirected === "") {
			output?.write("Authentication Flow aborted.\n");
			return false;
		}
		await this.con.requestToken(redirected, { flow, ...(options.signal ? { signal: options.signal } : {}) });
		output?.write("Authentication Flow Completed. Oauth Access Token Stored. You can now use the API.\n");
		return true;
	}

	/** Step 1 of a web-app sign-in; scope helpers and bare permissions are expanded and prefixed. */
	async getAuthorizationUrl(
		requestedScopes: string | readonly string[],
		options?: AuthorizationUrlOptions,
	): Promise<{ url: string; flow: AuthorizationFlow }> {
		return this.con.getAuthorizationUrl(this.protocol.getScopesFor(requestedScopes), options);
	}

	/**
	 * Step 2 of a web-app sign-in, or the app's sign-in (credentials flow, where the only scope
	 * allowed is the protocol's `.default`), or the password sign-in (pass `null`; scope helpers
	 * are expanded, the default is the protocol's `.default`).
	 */
	async requestToken(
		authorizationResponse: RedirectResponse | null | undefined,
		tokenOptions?: RequestTokenOptions,
	): Promise<boolean> {
		const options = readRequestTokenOptions(tokenOptions);
		if (this.con.authFlowType === "credentials") {
			const appScope = this.protocol.prefixScope(".default");
			const requested =
				options.requestedScopes === undefined
					? undefined
					: readRawScopes(options.requestedScopes, this.protocol.scopeHelpers);
			if (requested !== undefined && (requested.length !== 1 || requested[0] !== appScope)) {
				throw new ConfigurationError(
					"invalid_scopes",
					`the credentials flow takes exactly one scope, '${appScope}': app permissions are granted to the app in Entra, not requested.`,
				);
			}
			return this.con.requestToken(null, { ...options, requestedScopes: [appScope] });
		}
		if (this.con.authFlowType === "password" && options.requestedScopes !== undefined) {
			// As python-o365: helpers and bare permissions are expanded and prefixed.
			const requestedScopes = this.protocol.getScopesFor(options.requestedScopes);
			return this.con.requestToken(null, { ...options, requestedScopes });
		}
		return this.con.requestToken(authorizationResponse, options);
	}

	/**
	 * This account as an `@azure/core-auth` `TokenCredential`, for Azure SDK clients and the Graph
	 * SDKs: tokens come from its storage, with single-flight, fleet-safe refresh. Scopes must be the
	 * protocol's resource (`https://graph.microsoft.com/.default` or its permissions); a claims
	 * challenge forces a new token carrying the claims; a `tenantId` other than the account's is refused.
	 */
	asTokenCredential(): TokenCredential {
		return createAccountCredential({
			defaultScope: this.protocol.prefixScope(".default"),
			tenantId: this.con.tenantId,
			grantedScopes: () =>
				this.con.tokenBackend.getTokenScopes({
					...(this.con.username === undefined ? {} : { username: this.con.username }),
					removeReserved: true,
				}),
			getAccessTokenInfo: (options) => this.con.getAccessTokenInfo(options),
		});
	}

	toString(): string {
		return `Account Client Id: ${this.con.clientId}`;
	}
}

/**
 * Whether the consent handler answered with a promise. A Proxy whose `then` throws is not one,
 * and is left for requestToken to refuse as a redirect (awaiting it would throw the trap's error).
 */
function isThenable(answer: unknown): answer is PromiseLike<unknown> {
	if (answer === null || (typeof answer !== "object" && typeof answer !== "function")) return false;
	try {
		return typeof (answer as { then?: unknown }).then === "function";
	} catch {
		return false;
	}
}
