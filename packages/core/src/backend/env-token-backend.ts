import { ConfigurationError } from "../errors.js";
import { BaseTokenBackend, type BaseTokenBackendOptions } from "./base-token-backend.js";

export interface EnvTokenBackendOptions extends BaseTokenBackendOptions {
	/**
	 * The environment variable that holds the token.
	 * @default "O365TOKEN"
	 */
	tokenEnvName?: string;
	/**
	 * The environment to read and write.
	 * @default process.env
	 */
	env?: NodeJS.ProcessEnv;
}

/**
 * Reads the token from an environment variable (for platforms that inject secrets that way) and
 * writes refreshed tokens back into this process's environment only: child processes inherit
 * them, but nothing outlives the process. Pair it with a persistent backend for long-lived apps.
 */
export class EnvTokenBackend extends BaseTokenBackend {
	readonly name = "env";
	readonly tokenEnvName: string;
	readonly #env: NodeJS.ProcessEnv;

	constructor(options: EnvTokenBackendOptions = {}) {
		super(options);
		this.tokenEnvName = options.tokenEnvName ?? "O365TOKEN";
		if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(this.tokenEnvName)) {
			throw new ConfigurationError(
				"backend_invalid_config",
				`tokenEnvName "${this.tokenEnvName}" is not a valid environment variable name; use letters, digits and underscores.`,
			);
		}
		this.#env = options.env ?? process.env;
	}

	async read(): Promise<string | undefined> {
		const value = this.#env[this.tokenEnvName];
		return value === undefined || value === "" ? undefined : value;
	}

	async write(value: string): Promise<void> {
		this.#env[this.tokenEnvName] = value;
	}

	async remove(): Promise<boolean> {
		const had = (await this.read()) !== undefined;
		delete this.#env[this.tokenEnvName];
		return had;
	}

	async exists(): Promise<boolean> {
		return (await this.read()) !== undefined;
	}
}
