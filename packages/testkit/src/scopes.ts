/**
 * Scope parsing as Entra does it: one resource per request, `openid profile email offline_access` apart.
 */
import { oauthError } from "./errors.js";

/** Scopes that are about the sign-in itself, not about a resource. */
export const OIDC_SCOPES: ReadonlySet<string> = new Set(["openid", "profile", "email", "offline_access"]);

/** The resource a short scope name (`User.Read`) refers to, as in Entra. */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";

export interface ResourceScope {
	/** As requested, e.g. `https://graph.microsoft.com/User.Read` or `User.Read`. */
	requested: string;
	/** Resource identifier, e.g. `https://graph.microsoft.com` or `api://my-api`. */
	resource: string;
	/** Name without the resource, e.g. `User.Read` or `.default`. */
	short: string;
}

export interface ParsedScopes {
	/** Every requested scope, in request order, deduplicated. */
	all: string[];
	oidc: string[];
	resourceScopes: ResourceScope[];
	/** The single resource the access token is for; Graph when only OIDC scopes were asked for. */
	resource: string;
	offlineAccess: boolean;
}

export function splitScopes(value: string | undefined): string[] {
	return [...new Set((value ?? "").split(/\s+/).filter((scope) => scope.length > 0))];
}

function toResourceScope(scope: string): ResourceScope {
	const slash = scope.lastIndexOf("/");
	// A short name has no resource prefix; Entra resolves it against Microsoft Graph.
	if (slash <= 0) return { requested: scope, resource: GRAPH_RESOURCE, short: scope };
	return { requested: scope, resource: scope.slice(0, slash), short: scope.slice(slash + 1) };
}

/** Parses a `scope` parameter and enforces Entra's "one resource per token" rule (AADSTS28000). */
export function parseScopes(value: string | undefined): ParsedScopes {
	const all = splitScopes(value);
	const oidc = all.filter((scope) => OIDC_SCOPES.has(scope.toLowerCase()));
	const resourceScopes = all.filter((scope) => !OIDC_SCOPES.has(scope.toLowerCase())).map(toResourceScope);
	const resources = new Set(resourceScopes.map((scope) => scope.resource.toLowerCase()));
	if (resources.size > 1) {
		throw oauthError.scope(
			`AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${all.join(" ")} is not valid.`,
		);
	}
	return {
		all,
		oidc,
		resourceScopes,
		resource: resourceScopes[0]?.resource ?? GRAPH_RESOURCE,
		offlineAccess: oidc.some((scope) => scope.toLowerCase() === "offline_access"),
	};
}

/**
 * The `scope` string echoed in a token response. `offline_access` is left out, as Entra does: its effect is the
 * presence of a refresh token.
 */
export function echoScopes(scopes: ParsedScopes, form: "asRequested" | "short"): string {
	const resourcePart = scopes.resourceScopes.map((scope) =>
		form === "short" ? scope.short : scope.requested,
	);
	const oidcPart = scopes.oidc.filter((scope) => scope.toLowerCase() !== "offline_access");
	return [...resourcePart, ...oidcPart].join(" ");
}

/** The `scp` claim of a delegated token: short names, `.default` expanded to the app's consented scopes. */
export function delegatedScp(scopes: ParsedScopes, defaultScopes: readonly string[]): string {
	const names = scopes.resourceScopes.flatMap((scope) =>
		scope.short === ".default" ? defaultScopes : [scope.short],
	);
	const oidc = scopes.oidc.filter((scope) => scope.toLowerCase() !== "offline_access");
	return [...new Set([...names, ...oidc])].join(" ");
}
