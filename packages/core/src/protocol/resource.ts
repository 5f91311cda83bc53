/**
 * Resources: the part of a Graph URL after the version that says whose data a call touches
 * (`me`, `users/<id>`, `groups/<id>`, `sites/<id>`), with python-o365's shorthands
 * (`ApiComponent._parse_resource` and `Account` in python-o365).
 */

/** The signed-in user. */
export const ME_RESOURCE = "me";
/** Users by id or user principal name. */
export const USERS_RESOURCE = "users";
/** Microsoft 365 groups by id. */
export const GROUPS_RESOURCE = "groups";
/** SharePoint sites by id. */
export const SITES_RESOURCE = "sites";

const SHORTHANDS: ReadonlyArray<readonly [prefix: string, collection: string]> = [
	["user:", USERS_RESOURCE],
	["group:", GROUPS_RESOURCE],
	["site:", SITES_RESOURCE],
];

/**
 * Expands a resource shorthand, after trimming it:
 * `x@y` → `users/x@y` (a mailbox by address), `user:X` → `users/X`, `group:X` → `groups/X`,
 * `site:X` → `sites/X`. Anything else, including `me`, `users/…` and `""`, is returned as is.
 * Only the first path segment is inspected, so `users/x@y` is left alone.
 */
export function parseResource(resource: string): string {
	const trimmed = resource.trim();
	const first = trimmed.split("/").find((part) => part !== "") ?? "";
	if (!first.includes(":") && !first.includes("@")) {
		return trimmed;
	}
	// Shorthands before the address rule: python-o365 checks "@" first and turns
	// "user:a@b.c" into "users/user:a@b.c", which Graph rejects.
	for (const [prefix, collection] of SHORTHANDS) {
		if (trimmed.startsWith(prefix)) {
			return `${collection}/${trimmed.slice(prefix.length)}`;
		}
	}
	return first.includes("@") ? `${USERS_RESOURCE}/${trimmed}` : trimmed;
}

/** What {@link buildBaseUrl} needs from a protocol. */
export interface ResourceProtocol {
	/** e.g. `https://graph.microsoft.com/v1.0/` */
	readonly serviceUrl: string;
	/** Resource used when none is given, e.g. `me`. */
	readonly defaultResource: string;
}

/**
 * The base URL for calls on `resource`: `serviceUrl` + {@link parseResource}(resource), minus
 * one trailing `/` (so an empty resource gives `https://graph.microsoft.com/v1.0`).
 *
 * @param resource - defaults to the protocol's `defaultResource` when `undefined`
 */
export function buildBaseUrl(protocol: ResourceProtocol, resource?: string): string {
	const url = protocol.serviceUrl + parseResource(resource ?? protocol.defaultResource);
	return url.endsWith("/") ? url.slice(0, -1) : url;
}

/** Inputs of {@link resolveMainResource}. */
export interface ResolveMainResourceOptions {
	/** The protocol whose `defaultResource` applies when `mainResource` is not given. */
	protocol: Pick<ResourceProtocol, "defaultResource">;
	/**
	 * The account's resource; wins over the protocol's default when non-empty.
	 * @default undefined (use `protocol.defaultResource`)
	 */
	mainResource?: string | undefined;
	/**
	 * The connection's flow: `authorization`, `public`, `credentials` or `password`.
	 * @default "authorization"
	 */
	authFlowType?: string | undefined;
}

/** Flows whose token has no signed-in user behind `/me`, per python-o365's Account. */
const FLOWS_WITHOUT_ME: ReadonlySet<string> = new Set(["credentials", "password"]);

/**
 * The resource an Account works on (python-o365's `Account.main_resource`): `mainResource` if
 * non-empty, else the protocol's `defaultResource`. For the `credentials` (app-only) and
 * `password` flows each of the two that equals `me` is first rewritten to `""`, as python-o365
 * does (an app token has no `/me`), so calls go to the bare service URL unless a user resource
 * is named. Pure: unlike python-o365 it does not rewrite `protocol.defaultResource`.
 */
export function resolveMainResource(options: ResolveMainResourceOptions): string {
	const withoutMe = FLOWS_WITHOUT_ME.has(options.authFlowType ?? "authorization");
	const drop = (resource: string | undefined): string | undefined =>
		withoutMe && resource === ME_RESOURCE ? "" : resource;
	return drop(options.mainResource) || drop(options.protocol.defaultResource) || "";
}
