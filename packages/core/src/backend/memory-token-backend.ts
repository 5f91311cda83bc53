import { BaseTokenBackend } from "./base-token-backend.js";

/**
 * Keeps the token in this object only: nothing survives the process. For tests, scripts that
 * sign in every run, and as the reference implementation of the storage primitives.
 */
export class MemoryTokenBackend extends BaseTokenBackend {
	readonly name = "memory";
	#value: string | undefined;

	async read(): Promise<string | undefined> {
		return this.#value;
	}

	async write(value: string): Promise<void> {
		this.#value = value;
	}

	async remove(): Promise<boolean> {
		const had = this.#value !== undefined;
		this.#value = undefined;
		return had;
	}

	async exists(): Promise<boolean> {
		return this.#value !== undefined;
	}
}
