import { MemoryTokenBackend, MemoryTokenStore, type TokenBackend } from "@o365/core";
import { testTokenBackend } from "../src/index.js";

// The memory backend answering a missing key with null, as ioredis and node-redis `get` do: the
// contract allows it, so the whole suite must pass.
const store = new MemoryTokenStore();

function nullForMissing(): TokenBackend {
	const backend: TokenBackend = new MemoryTokenBackend({ store });
	const { read, readVersioned } = backend;
	backend.read = async (options) => (await read.call(backend, options)) ?? null;
	backend.readVersioned = async (options) => (await readVersioned?.call(backend, options)) ?? null;
	return backend;
}

testTokenBackend({
	name: "memory, null for nothing stored",
	create: nullForMissing,
	reset: () => {
		store.value = undefined;
		store.lease = undefined;
	},
});
