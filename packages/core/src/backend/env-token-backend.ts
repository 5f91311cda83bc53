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
	/**
	 * Whether the token stays in the environment, where every child process (`spawn`, `exec`,
	 * `fork`, workers started with the environment) inherits it, refresh token included. `true`
	 * is python-o365's behaviour. `false` moves the value out of the environment when the backend
	 * is created, and keeps it and every later save in memory private to this process (shared by
	 * the `EnvTokenBackend`s that use the same `env` and variable): children never see it. A value
	 * set in the environment later is taken in, and removed from the environment, on the next read.
	 * @default true
	 */
	inheritable?: boolean;
}

/** Tokens taken out of an environment (`inheritable: false`), by environment and variable name. */
const privateValues = new WeakMap<NodeJS.ProcessEnv, Map<string, string>>();

/**
 * Reads the token from an environment variable (for platforms that inject secrets that way) and
 * writes refreshed tokens back into this process's environment only: nothing outlives the process.
 * Pair it with a persistent backend for long-lived apps.
 *
 * Warning: by default (as in python-o365) the variable stays in `process.env`, so every child
 * process inherits the token cache, refresh token included. Pass `inheritable: false` to keep it
 * out of children's environment.
 */
export class EnvTokenBackend extends BaseTokenBackend {
	readonly name = "env";
	readonly tokenEnvName: string;
	/** Whether the token stays in the environment that child processes inherit. */
	readonly inheritable: boolean;
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
		if (options.inheritable !== undefined && typeof options.inheritable !== "boolean") {
			throw new ConfigurationError(
				"backend_invalid_config",
				`inheritable must be true or false; got ${typeof options.inheritable}.`,
			);
		}
		this.inheritable = options.inheritable ?? true;
		// Out of the environment now, before any child process can be started.
		if (!this.inheritable) this.#takePrivate();
	}

	async read(): Promise<string | undefined> {
		const value = this.inheritable ? this.#env[this.tokenEnvName] : this.#takePrivate();
		return value === undefined || value === "" ? undefined : value;
	}

	async write(value: string): Promise<void> {
		if (this.inheritable) this.#env[this.tokenEnvName] = value;
		else this.#privateValues().set(this.tokenEnvName, value);
	}

	async remove(): Promise<boolean> {
		const had = (await this.read()) !== undefined;
		delete this.#env[this.tokenEnvName];
		privateValues.get(this.#env)?.delete(this.tokenEnvName);
		return had;
	}

	async exists(): Promise<boolean> {
		return (await this.read()) !== undefined;
	}

	/** Moves a value found in the environment into private memory, and returns what is held there. */
	#takePrivate(): string | undefined {
		const values = this.#privateValues();
		const injected = this.#env[this.tokenEnvName];
		if (injected !== undefined) {
			values.set(this.tokenEnvName, injected);
			delete this.#env[this.tokenEnvName];
		}
		return values.get(this.tokenEnvName);
	}

	#privateValues(): Map<string, string> {
		let values = privateValues.get(this.#env);
		if (values === undefined) {
			values = new Map();
			privateValues.set(this.#env, values);
		}
		return values;
	}
}
