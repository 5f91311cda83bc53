/**
 * The base of every protocol: where an API lives, how its scopes are named, how its JSON keys
 * are cased and which time zone to ask for. Port of python-o365's `Protocol`
 * (`O365/connection.py`); {@link MSGraphProtocol} is the one most apps use.
 */

import { ConfigurationError } from "../errors.js";
import { toCamelCase, toSnakeCase } from "../utils/casing.js";
import { isPlainObject, isString, optionsReader } from "../utils/read-options.js";
import { type Cloud, type CloudName, getCloud } from "./clouds.js";
import { ME_RESOURCE } from "./resource.js";
import {
	prefixScope as prefixScopeWith,
	resolveScopes,
	type ScopeEntry,
	type ScopeHelperTable,
} from "./scopes.js";
import { getLocalTimezone, isValidTimezone } from "./timezones.js";

/** Options of {@link Protocol}. */
export interface ProtocolOptions {
	/**
	 * Base URL of the API, before the version, e.g. `https://graph.microsoft.com/`. A missing
	 * trailing `/` is added. Required.
	 */
	protocolUrl: string;
	/** API version appended to `protocolUrl`, e.g. `v1.0`. Required. */
	apiVersion: string;
	/**
	 * Resource used when a call names none: `me`, `users/<id or UPN>`, `groups/<id>`, `sites/<id>`
	 * (see {@link parseResource} for the shorthands). An empty string also means `me`.
	 * @default "me"
	 */
	defaultResource?: string;
	/**
	 * Converts python-o365-style snake_case keys to the API's casing in {@link Protocol.convertCase}.
	 * @default undefined: keys are left unchanged (`useDefaultCasing` is `true`)
	 */
	casingFunction?: (key: string) => string;
	/**
	 * Prefix that turns a bare permission (`Mail.Read`) into a scope of this API's resource, e.g.
	 * `https://graph.microsoft.com/`.
	 * @default "" (scopes are used as given)
	 */
	protocolScopePrefix?: string;
	/**
	 * Scope helpers: short names expanded by {@link Protocol.getScopesFor}.
	 * @default {} (python-o365's base protocol has none; Graph and Business Central use DEFAULT_SCOPES)
	 */
	scopeHelpers?: ScopeHelperTable;
	/**
	 * IANA time zone the API should use for dates it returns, e.g. `Europe/Madrid`.
	 * @default the machine's zone (`Intl.DateTimeFormat().resolvedOptions().timeZone`), else `UTC`
	 */
	timezone?: string;
	/**
	 * National cloud whose identity platform issues tokens for this API; a connection signs in at
	 * its `authorityHost`.
	 * @default "global"
	 */
	cloud?: CloudName;
}

/** Base class of the protocols; see {@link MSGraphProtocol} for Microsoft Graph. */
export class Protocol {
	/** Base URL of the API, ending in `/`, e.g. `https://graph.microsoft.com/`. */
	readonly protocolUrl: string;
	/** Prefix added to bare permissions by {@link prefixScope}; `""` for none. */
	readonly protocolScopePrefix: string;
	/** API version, e.g. `v1.0`. */
	readonly apiVersion: string;
	/** `protocolUrl + apiVersion + "/"`, e.g. `https://graph.microsoft.com/v1.0/`. */
	readonly serviceUrl: string;
	/**
	 * Resource used when a call names none. Mutable because python-o365's Account rewrites `me`
	 * to `""` for app-only flows (see {@link resolveMainResource}).
	 * @default "me"
	 */
	defaultResource: string;
	/** True when no casing function was given, so {@link convertCase} leaves keys unchanged. */
	readonly useDefaultCasing: boolean;
	/**
	 * The casing function given, or {@link toCamelCase}.
	 * @default toCamelCase
	 */
	readonly casingFunction: (key: string) => string;
	/**
	 * API-specific names (OData types, the `Prefer` time zone header) under python-o365's
	 * snake_case keys; read them with {@link getServiceKeyword}.
	 * @default {}
	 */
	readonly keywordDataStore: Record<string, string> = {};
	/**
	 * Largest `$top` the API accepts, in items per page.
	 * @default 500
	 */
	maxTopValue = 500;
	/** Scope helpers expanded by {@link getScopesFor}. */
	readonly scopeHelpers: ScopeHelperTable;
	/** The national cloud whose identity platform issues tokens for this API. */
	readonly cloud: Cloud;

	#timezone: string;

	/**
	 * @throws ConfigurationError `invalid_option` when `protocolUrl` or `apiVersion` is missing or
	 * malformed, or `cloud` is unknown; `unknown_timezone` when `timezone` is not a time zone.
	 */
	constructor(protocolOptions: ProtocolOptions) {
		const options = readProtocolOptions(protocolOptions);
		const { protocolUrl, apiVersion } = options;
		if (!nonEmptyString(protocolUrl) || !nonEmptyString(apiVersion)) {
			throw new ConfigurationError(
				"invalid_option",
				"A Protocol needs both protocolUrl and apiVersion, e.g. " +
					'new Protocol({ protocolUrl: "https://graph.microsoft.com/", apiVersion: "v1.0" }); ' +
					"for Microsoft Graph use new MSGraphProtocol() instead.",
			);
		}
		this.protocolUrl = normalizeBaseUrl(protocolUrl.trim(), "protocolUrl");
		this.apiVersion = apiVersion.trim();
		this.serviceUrl = `${this.protocolUrl}${this.apiVersion}/`;
		this.protocolScopePrefix = options.protocolScopePrefix ?? "";
		this.defaultResource = options.defaultResource || ME_RESOURCE;
		if (options.casingFunction !== undefined && typeof options.casingFunction !== "function") {
			throw new ConfigurationError(
				"invalid_option",
				"casingFunction must be a function from key to key, such as toCamelCase or toPascalCase.",
			);
		}
		this.useDefaultCasing = options.casingFunction === undefined;
		this.casingFunction = options.casingFunction ?? toCamelCase;
		this.scopeHelpers = options.scopeHelpers ?? {};
		this.cloud = getCloud(options.cloud ?? "global");
		const timezone = validateTimezone(options.timezone ?? getLocalTimezone());
		this.timezoneChanged(timezone);
		this.#timezone = timezone;
	}

	/**
	 * IANA time zone the API should use for dates. Setting it validates the name and lets
	 * subclasses update what depends on it (Graph's `Prefer` header); a rejected value leaves the
	 * protocol unchanged.
	 *
	 * @throws ConfigurationError `unknown_timezone` (not a time zone, or, for Graph, no Windows
	 * equivalent) or `invalid_option` (not a string).
	 */
	get timezone(): string {
		return this.#timezone;
	}

	set timezone(timezone: string) {
		const validated = validateTimezone(timezone);
		this.timezoneChanged(validated);
		this.#timezone = validated;
	}

	/**
	 * Called with a validated time zone before it is stored: once at the end of this base
	 * constructor and on every `timezone` assignment; throwing rejects the zone. Because the first
	 * call runs before a subclass's own fields are initialised, an override may use only fields of
	 * `Protocol` (such as {@link keywordDataStore}).
	 */
	protected timezoneChanged(_timezone: string): void {}

	/**
	 * The value stored under `keyword` in {@link keywordDataStore}, or `undefined`. Accepts
	 * python's snake_case key (`prefer_timezone_header`) or its camelCase form
	 * (`preferTimezoneHeader`).
	 */
	getServiceKeyword(keyword: string): string | undefined {
		if (Object.hasOwn(this.keywordDataStore, keyword)) {
			return this.keywordDataStore[keyword];
		}
		const snake = toSnakeCase(keyword);
		return Object.hasOwn(this.keywordDataStore, snake) ? this.keywordDataStore[snake] : undefined;
	}

	/** `key` in the API's casing: unchanged when {@link useDefaultCasing}, else `casingFunction(key)`. */
	convertCase(key: string): string {
		return this.useDefaultCasing ? key : this.casingFunction(key);
	}

	/** `key` in python-o365's snake_case: `isRead` → `is_read`. */
	static toApiCase(key: string): string {
		return toSnakeCase(key);
	}

	/**
	 * The scopes to request for `scopes`: one entry or a list, each a helper name of
	 * {@link scopeHelpers} (expanded) or a scope; bare permissions get {@link protocolScopePrefix}
	 * (see {@link prefixScope}); duplicates (ignoring case) are dropped, first-seen order is kept.
	 *
	 * Unlike python-o365, asking for nothing is an error rather than a request for every helper.
	 *
	 * @throws ConfigurationError `invalid_scopes` when `scopes` is empty or holds a non-string or
	 * blank entry.
	 */
	getScopesFor(scopes: ScopeEntry | readonly ScopeEntry[]): string[] {
		return resolveScopes(scopes, { helpers: this.scopeHelpers, prefix: this.protocolScopePrefix });
	}

	/**
	 * `scope` with {@link protocolScopePrefix} added if it is a bare permission name: `.default`
	 * → `https://graph.microsoft.com/.default`. OpenID Connect scopes (`openid`, `profile`,
	 * `offline_access`, `email`), anything holding a `/` (full URLs, other resources' `.default`)
	 * and already-prefixed scopes are returned unchanged.
	 */
	prefixScope(scope: string): string {
		return prefixScopeWith(scope, this.protocolScopePrefix);
	}
}

/** protocolUrl, apiVersion, casingFunction and timezone are checked by the constructor, with their own messages. */
const readProtocolOptions = optionsReader<ProtocolOptions>(
	[
		"protocolUrl",
		"apiVersion",
		"defaultResource",
		"casingFunction",
		"protocolScopePrefix",
		"scopeHelpers",
		"timezone",
		"cloud",
	],
	{
		defaultResource: isString,
		protocolScopePrefix: isString,
		scopeHelpers: (value) =>
			isPlainObject(value) ? undefined : "an object of helper name to permissions, e.g. DEFAULT_SCOPES",
		cloud: isString,
	},
	{ where: "Protocol", code: "invalid_option" },
);

function nonEmptyString(value: unknown): value is string {
	return typeof value === "string" && value.trim() !== "";
}

/** Checks `url` is an absolute http(s) URL and makes it end in `/`, so appending paths is safe. */
export function normalizeBaseUrl(url: string, optionName: string): string {
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
		throw new ConfigurationError(
			"invalid_option",
			`${optionName} must be an absolute http(s) URL such as "https://graph.microsoft.com/", got ${JSON.stringify(url)}.`,
		);
	}
	return url.endsWith("/") ? url : `${url}/`;
}

function validateTimezone(timezone: unknown): string {
	if (typeof timezone !== "string") {
		throw new ConfigurationError(
			"invalid_option",
			`timezone must be an IANA time zone name such as "Europe/Madrid", got a ${typeof timezone}.`,
		);
	}
	const trimmed = timezone.trim();
	if (!isValidTimezone(trimmed)) {
		throw new ConfigurationError(
			"unknown_timezone",
			`${JSON.stringify(timezone)} is not an IANA time zone name; use one such as "Europe/Madrid", ` +
				'"America/New_York" or "UTC", or leave timezone unset to use the machine\'s zone.',
		);
	}
	return trimmed;
}
