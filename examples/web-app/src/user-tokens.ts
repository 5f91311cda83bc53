/**
 * Where each signed-in user's tokens live. The app keys them by the user's home account id
 * (`<object id>.<tenant id>`, stable across sign-ins), never by anything the browser sends.
 */
import { type BaseTokenBackend, MemoryTokenBackend, MemoryTokenStore } from "@o365/core";

export interface UserTokenStore {
	/** A backend over this user's token location; a new instance on each call, the same storage. */
	backendFor(userKey: string): BaseTokenBackend;
}

/** Tokens in this process's memory, one slot per user: gone when the app stops. */
export class MemoryUserTokenStore implements UserTokenStore {
	readonly #slots = new Map<string, MemoryTokenStore>();

	backendFor(userKey: string): BaseTokenBackend {
		let store = this.#slots.get(userKey);
		if (store === undefined) {
			store = new MemoryTokenStore();
			this.#slots.set(userKey, store);
		}
		return new MemoryTokenBackend({ store });
	}
}
