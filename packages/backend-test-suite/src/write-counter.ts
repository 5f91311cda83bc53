import type { TokenBackend } from "@o365/core";

/** How many writes an instance made since {@link countWrites} started counting. */
export interface WriteCounter {
	/** Calls of `write` and `writeIfVersion` so far. */
	readonly count: number;
	/** Puts the original methods back. */
	restore(): void;
}

/**
 * Counts an instance's calls of `write` and `writeIfVersion` by wrapping them on the instance
 * (no test-runner spies, so the suite needs nothing but `expect`).
 */
export function countWrites(backend: TokenBackend): WriteCounter {
	let count = 0;
	const { write, writeIfVersion } = backend;
	backend.write = (value, options) => {
		count += 1;
		return write.call(backend, value, options);
	};
	if (writeIfVersion !== undefined) {
		backend.writeIfVersion = (value, expectedVersion, options) => {
			count += 1;
			return writeIfVersion.call(backend, value, expectedVersion, options);
		};
	}
	return {
		get count() {
			return count;
		},
		restore() {
			backend.write = write;
			if (writeIfVersion !== undefined) backend.writeIfVersion = writeIfVersion;
		},
	};
}
