import { ConfigurationError, type TokenBackend } from "@o365/core";
import {
	type BadConfiguration,
	SUITE_GROUPS,
	type SuiteGroup,
	type TokenBackendSuiteOptions,
} from "./options.js";

/** The suite's options, checked and completed with their defaults; what every group receives. */
export interface SuiteContext {
	readonly name: string;
	/** A new instance over the shared store (always a promise). */
	create(): Promise<TokenBackend>;
	/** Empties the store. */
	reset(): Promise<void>;
	readonly skip: Readonly<Partial<Record<SuiteGroup, string>>>;
	readonly badConfigurations: readonly BadConfiguration[];
	/** Time limit of each test, in milliseconds. */
	readonly timeoutMs: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Checks the suite's options and fills in the defaults. Mistakes in the options (a skip without
 * a reason, an unknown group) throw a `ConfigurationError` coded `invalid_option`.
 */
export function createSuiteContext(options: TokenBackendSuiteOptions): SuiteContext {
	if (typeof options.name !== "string" || options.name.trim() === "") {
		throw new ConfigurationError("invalid_option", "testTokenBackend needs a non-empty `name`.");
	}
	if (typeof options.create !== "function") {
		throw new ConfigurationError(
			"invalid_option",
			"testTokenBackend needs `create`, a function that returns a new backend over the shared store.",
		);
	}
	const skip = options.skip ?? {};
	for (const [group, reason] of Object.entries(skip)) {
		if (!(SUITE_GROUPS as readonly string[]).includes(group)) {
			throw new ConfigurationError(
				"invalid_option",
				`skip names an unknown group "${group}"; the groups are ${SUITE_GROUPS.join(", ")}.`,
			);
		}
		if (typeof reason !== "string" || reason.trim() === "") {
			throw new ConfigurationError(
				"invalid_option",
				`skip.${group} needs the reason the group does not apply, e.g. { ${group}: "the store has no …" }.`,
			);
		}
	}
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
		throw new ConfigurationError("invalid_option", "timeoutMs must be a positive number of milliseconds.");
	}
	const create = async (): Promise<TokenBackend> => options.create();
	const { reset } = options;
	return {
		name: options.name,
		create,
		reset:
			reset === undefined
				? async () => {
						await (await create()).deleteToken();
					}
				: async () => {
						await reset();
					},
		skip,
		badConfigurations: options.badConfigurations ?? [],
		timeoutMs,
	};
}
