/**
 * Scope helpers and the pure functions a {@link Protocol} uses to turn what a user asks for
 * (`["basic", "Mail.Read", "offline_access"]`) into the scopes sent to Microsoft Entra.
 *
 * Deliberate differences from python-o365 (its §6.2 #9 weaknesses):
 * - only bare permission names get the resource prefix: OpenID Connect scopes, full URLs and
 *   `<resource>/<permission>` forms pass through, where python turned `offline_access` into
 *   `https://graph.microsoft.com/offline_access`;
 * - the result keeps first-seen order and drops case-insensitive duplicates, where python
 *   returned a set in arbitrary order;
 * - asking for nothing is an error, where python silently requested every helper.
 *
 * @module
 */

import { ConfigurationError } from "../errors.js";
import { toSnakeCase } from "../utils/casing.js";

/**
 * python-o365's scope helpers (`DEFAULT_SCOPES` in `O365/connection.py`): short names for the
 * Graph permissions a feature needs, before prefixing. Keys are python's snake_case names, so
 * `"message_all"` works as it does in Python; camelCase spellings (`"messageAll"`) and the
 * documented-but-missing `"sharepoint_dl"` are accepted as aliases by {@link resolveScopeHelper}.
 */
export const DEFAULT_SCOPES = Object.freeze({
	basic: Object.freeze(["User.Read"]),
	mailbox: Object.freeze(["Mail.Read"]),
	mailbox_shared: Object.freeze(["Mail.Read.Shared"]),
	mailbox_settings: Object.freeze(["MailboxSettings.ReadWrite"]),
	message_send: Object.freeze(["Mail.Send"]),
	message_send_shared: Object.freeze(["Mail.Send.Shared"]),
	message_all: Object.freeze(["Mail.ReadWrite", "Mail.Send"]),
	message_all_shared: Object.freeze(["Mail.ReadWrite.Shared", "Mail.Send.Shared"]),
	address_book: Object.freeze(["Contacts.Read"]),
	address_book_shared: Object.freeze(["Contacts.Read.Shared"]),
	address_book_all: Object.freeze(["Contacts.ReadWrite"]),
	address_book_all_shared: Object.freeze(["Contacts.ReadWrite.Shared"]),
	calendar: Object.freeze(["Calendars.Read"]),
	calendar_shared: Object.freeze(["Calendars.Read.Shared"]),
	calendar_all: Object.freeze(["Calendars.ReadWrite"]),
	calendar_shared_all: Object.freeze(["Calendars.ReadWrite.Shared"]),
	users: Object.freeze(["User.ReadBasic.All"]),
	onedrive: Object.freeze(["Files.Read.All"]),
	onedrive_all: Object.freeze(["Files.ReadWrite.All"]),
	sharepoint: Object.freeze(["Sites.Read.All"]),
	sharepoint_all: Object.freeze(["Sites.ReadWrite.All"]),
	settings_all: Object.freeze(["MailboxSettings.ReadWrite"]),
	tasks: Object.freeze(["Tasks.Read"]),
	tasks_all: Object.freeze(["Tasks.ReadWrite"]),
	presence: Object.freeze(["Presence.Read"]),
} as const);

/** The name of one of python-o365's 25 scope helpers. */
export type ScopeHelperName = keyof typeof DEFAULT_SCOPES;

/** A table of scope helpers: helper name → permissions before prefixing. */
export type ScopeHelperTable = Readonly<Record<string, readonly string[]>>;

/** Every helper name of {@link DEFAULT_SCOPES}, in python's order; pass it to request them all. */
export const ALL_SCOPE_HELPERS: readonly ScopeHelperName[] = Object.freeze(
	Object.keys(DEFAULT_SCOPES) as ScopeHelperName[],
);

/** Alternative helper names: alias → helper. camelCase spellings are handled separately. */
export const SCOPE_HELPER_ALIASES: Readonly<Record<string, ScopeHelperName>> = Object.freeze({
	// python-o365's docs list this helper, the code never had it.
	sharepoint_dl: "sharepoint_all",
});

/**
 * Scopes of the OpenID Connect layer. They name no resource, so they are never prefixed; MSAL
 * adds `openid`, `profile` and `offline_access` to every sign-in by itself.
 */
export const RESERVED_SCOPES: ReadonlySet<string> = new Set(["openid", "profile", "offline_access", "email"]);

/** A `getScopesFor` entry: a helper name (autocompleted) or any scope string. */
export type ScopeEntry = ScopeHelperName | (string & {});

/** True for `openid`, `profile`, `offline_access` and `email`, in any letter case. */
export function isReservedScope(scope: string): boolean {
	return RESERVED_SCOPES.has(scope.toLowerCase());
}

/**
 * The permissions behind helper `name` in `helpers`, or `undefined` when `name` is not a helper.
 * Looks up, in order: `name` itself, its aliases (`sharepoint_dl`), and the snake_case form of a
 * camelCase name (`messageAll` → `message_all`).
 */
export function resolveScopeHelper(
	name: string,
	helpers: ScopeHelperTable = DEFAULT_SCOPES,
): readonly string[] | undefined {
	// Object.hasOwn, not `in`: "constructor" or "toString" must not look like helpers.
	if (Object.hasOwn(helpers, name)) {
		return helpers[name];
	}
	const alias = Object.hasOwn(SCOPE_HELPER_ALIASES, name) ? SCOPE_HELPER_ALIASES[name] : undefined;
	if (alias !== undefined && Object.hasOwn(helpers, alias)) {
		return helpers[alias];
	}
	// Only plain camelCase words: snake-casing "Mail.Read" would invent "mail._read".
	if (/^[a-z][a-zA-Z0-9]*$/.test(name) && /[A-Z]/.test(name)) {
		return resolveScopeHelper(toSnakeCase(name), helpers);
	}
	return undefined;
}

/**
 * Adds `prefix` (a resource such as `https://graph.microsoft.com/`) to a bare permission name:
 * `Mail.Read` → `https://graph.microsoft.com/Mail.Read`, `.default` →
 * `https://graph.microsoft.com/.default`. Returned unchanged: reserved OpenID Connect scopes,
 * anything already qualified by a resource (containing `/`, so full URLs, `api://…` and
 * `<app id>/<permission>`), scopes that already start with `prefix`, and everything when `prefix`
 * is empty. Surrounding whitespace is trimmed.
 */
export function prefixScope(scope: string, prefix: string): string {
	const trimmed = scope.trim();
	if (prefix === "" || isReservedScope(trimmed) || trimmed.includes("/")) {
		return trimmed;
	}
	if (trimmed.toLowerCase().startsWith(prefix.toLowerCase())) {
		return trimmed;
	}
	return prefix + trimmed;
}

/** Drops later duplicates, compared case-insensitively (Entra does), keeping first-seen order and spelling. */
export function dedupeScopes(scopes: Iterable<string>): string[] {
	const seen = new Set<string>();
	const result: string[] = [];
	for (const scope of scopes) {
		const key = scope.toLowerCase();
		if (!seen.has(key)) {
			seen.add(key);
			result.push(scope);
		}
	}
	return result;
}

/** What {@link resolveScopes} needs from a protocol. */
export interface ResolveScopesOptions {
	/**
	 * Helper table for expanding helper names.
	 * @default DEFAULT_SCOPES
	 */
	helpers?: ScopeHelperTable;
	/**
	 * Resource prefix for bare permission names, e.g. `https://graph.microsoft.com/`.
	 * @default "" (no prefixing)
	 */
	prefix?: string;
}

/**
 * Expands helper names, prefixes bare permissions and removes duplicates, keeping first-seen
 * order. `scopes` is one entry or a list; an entry is a helper name or a scope. Helpers and raw
 * scopes mix freely: `["basic", "Mail.Read", "https://graph.microsoft.com/User.Read",
 * "offline_access"]` → `[".../User.Read", ".../Mail.Read", "offline_access"]`.
 *
 * @throws ConfigurationError `invalid_scopes` when nothing is asked for, or an entry is not a
 * non-empty string.
 */
export function resolveScopes(
	scopes: ScopeEntry | readonly ScopeEntry[] | undefined | null,
	options: ResolveScopesOptions = {},
): string[] {
	const helpers = options.helpers ?? DEFAULT_SCOPES;
	const prefix = options.prefix ?? "";
	const entries = normalizeEntries(scopes);
	const expanded: string[] = [];
	for (const entry of entries) {
		for (const scope of resolveScopeHelper(entry, helpers) ?? [entry]) {
			expanded.push(prefixScope(scope, prefix));
		}
	}
	return dedupeScopes(expanded);
}

const EXAMPLE = 'e.g. ["basic", "message_all"] or ["User.Read", "Mail.ReadWrite"]';

function normalizeEntries(scopes: unknown): string[] {
	try {
		return normalizeList(scopes);
	} catch (error) {
		if (error instanceof ConfigurationError) throw error;
		throw new ConfigurationError(
			"invalid_scopes",
			`Reading the scopes threw (see the cause); pass a plain array of strings, ${EXAMPLE}.`,
			{ cause: error },
		);
	}
}

function normalizeList(scopes: unknown): string[] {
	if (scopes !== undefined && scopes !== null && typeof scopes !== "string" && !Array.isArray(scopes)) {
		throw new ConfigurationError(
			"invalid_scopes",
			`Scopes must be a string or an array of strings, got ${typeof scopes}; pass ${EXAMPLE}.`,
		);
	}
	// A lone blank string means "nothing", like undefined or [].
	const list: readonly unknown[] =
		typeof scopes === "string" ? (scopes.trim() === "" ? [] : [scopes]) : (scopes ?? []);
	if (list.length === 0) {
		throw new ConfigurationError(
			"invalid_scopes",
			`No scopes were requested; name the permissions your app needs, ${EXAMPLE}. ` +
				"(python-o365 silently requested every helper's scope here; to do that on purpose, pass ALL_SCOPE_HELPERS.)",
		);
	}
	return list.map((entry, index) => {
		if (typeof entry !== "string" || entry.trim() === "") {
			throw new ConfigurationError(
				"invalid_scopes",
				`Scope entry #${index} is ${typeof entry === "string" ? "empty" : `a ${typeof entry}`}; ` +
					`every entry must be a scope helper name or a permission, ${EXAMPLE}.`,
			);
		}
		return entry.trim();
	});
}

/**
 * Checks the scopes given to a `Connection`, which sends them to Microsoft as they are (as
 * python-o365's does): a non-empty array of non-empty strings, none of them a scope helper name
 * (`basic` is never a real scope; expanding helpers is `Account`'s job). Returns a copy.
 *
 * @throws ConfigurationError `invalid_scopes` naming the entry and pointing to
 * `account.getAuthorizationUrl` or `protocol.getScopesFor`.
 */
export function readRawScopes(scopes: unknown, helpers: ScopeHelperTable = DEFAULT_SCOPES): string[] {
	let list: unknown[] | undefined;
	try {
		list = Array.isArray(scopes) ? [...(scopes as unknown[])] : undefined;
	} catch {
		list = undefined;
	}
	if (
		list === undefined ||
		list.length === 0 ||
		!list.every((entry) => typeof entry === "string" && entry.trim() !== "")
	) {
		throw new ConfigurationError(
			"invalid_scopes",
			`Connection takes a non-empty array of scopes as sent to Microsoft, e.g. ['https://graph.microsoft.com/User.Read']; got ${describeScopes(list, scopes)}. ` +
				"For scope helpers such as 'basic' use account.getAuthorizationUrl(['basic']) or protocol.getScopesFor(['basic']).",
		);
	}
	const raw = list as string[];
	const helper = raw.find(
		(scope) =>
			resolveScopeHelper(scope, DEFAULT_SCOPES) !== undefined ||
			resolveScopeHelper(scope, helpers) !== undefined,
	);
	if (helper !== undefined) {
		throw new ConfigurationError(
			"invalid_scopes",
			`'${helper}' is a scope helper name, not a scope: Connection sends scopes to Microsoft as they are. ` +
				`Call account.getAuthorizationUrl(['${helper}']) (it expands helpers), or pass protocol.getScopesFor(['${helper}']) here.`,
		);
	}
	return raw;
}

function describeScopes(list: unknown[] | undefined, scopes: unknown): string {
	if (list === undefined)
		return typeof scopes === "symbol" ? "a Symbol" : scopes === null ? "null" : `a ${typeof scopes}`;
	return list.length === 0 ? "an empty array" : "an array with an entry that is not a non-empty string";
}
