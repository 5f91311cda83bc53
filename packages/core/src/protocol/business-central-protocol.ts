/**
 * Dynamics 365 Business Central's API. Port of python-o365's `MSBusinessCentral365Protocol`.
 */

import { ConfigurationError } from "../errors.js";
import { toCamelCase } from "../utils/casing.js";
import { isString, optionsReader } from "../utils/read-options.js";
import { GRAPH_KEYWORDS, preferTimezoneHeader } from "./ms-graph-protocol.js";
import { Protocol } from "./protocol.js";
import { DEFAULT_SCOPES } from "./scopes.js";

/** Business Central's API host, which is also its scope prefix. */
export const BUSINESS_CENTRAL_HOST = "https://api.businesscentral.dynamics.com/";

/** Options of {@link MSBusinessCentral365Protocol}. */
export interface MSBusinessCentral365ProtocolOptions {
	/**
	 * API version appended to the protocol URL.
	 * @default "v1.0"
	 */
	apiVersion?: string;
	/**
	 * Resource used when a call names none; an empty string also means `me`.
	 * @default "me"
	 */
	defaultResource?: string;
	/**
	 * Business Central environment name, e.g. `production` or `sandbox`. With one the protocol URL
	 * is `…/v2.0/<environment>/api/`, without it `…/v1.0/api/`.
	 * @default undefined (no environment)
	 */
	environment?: string;
	/**
	 * IANA time zone; sets `keywordDataStore.prefer_timezone_header` as for Graph.
	 * @default the machine's zone, else `UTC`
	 */
	timezone?: string;
}

/** Strings only here; the environment's name and the time zone are checked by the constructor. */
const readBusinessCentralOptions = optionsReader<MSBusinessCentral365ProtocolOptions>(
	["apiVersion", "defaultResource", "environment", "timezone"],
	{ apiVersion: isString, defaultResource: isString, environment: isString },
	{ where: "MSBusinessCentral365Protocol", code: "invalid_option" },
);

/**
 * Business Central: `https://api.businesscentral.dynamics.com/v2.0/<environment>/api/<apiVersion>/`
 * (or `…/v1.0/api/<apiVersion>/` without an environment), camelCase keys, `$top` up to 999,
 * Graph's keyword store and scope helpers. As in python-o365 the helpers are Graph's, so `basic`
 * becomes `https://api.businesscentral.dynamics.com/User.Read`, which Business Central does not
 * define: ask for its own permissions (`Financials.ReadWrite.All`, `.default`) instead.
 */
export class MSBusinessCentral365Protocol extends Protocol {
	/**
	 * Largest `$top` accepted, in items per page.
	 * @default 999
	 */
	override maxTopValue = 999;

	/**
	 * @throws ConfigurationError `invalid_option` for an `environment` holding `/` or whitespace;
	 * `unknown_timezone` for a zone that is not IANA or has no Windows name.
	 */
	constructor(businessCentralOptions?: MSBusinessCentral365ProtocolOptions) {
		const options = readBusinessCentralOptions(businessCentralOptions);
		const environment = options.environment?.trim();
		if (environment && /[\s/?#]/.test(environment)) {
			throw new ConfigurationError(
				"invalid_option",
				`Business Central environment ${JSON.stringify(options.environment)} is not a valid name; ` +
					'pass the environment\'s name as shown in the admin center, e.g. "production".',
			);
		}
		super({
			protocolUrl: environment
				? `${BUSINESS_CENTRAL_HOST}v2.0/${environment}/api/`
				: `${BUSINESS_CENTRAL_HOST}v1.0/api/`,
			apiVersion: options.apiVersion ?? "v1.0",
			casingFunction: toCamelCase,
			protocolScopePrefix: BUSINESS_CENTRAL_HOST,
			scopeHelpers: DEFAULT_SCOPES,
			defaultResource: options.defaultResource,
			timezone: options.timezone,
		});
		Object.assign(this.keywordDataStore, GRAPH_KEYWORDS);
	}

	protected override timezoneChanged(timezone: string): void {
		this.keywordDataStore.prefer_timezone_header = preferTimezoneHeader(timezone);
	}
}
