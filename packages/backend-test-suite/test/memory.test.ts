import { MemoryTokenBackend, MemoryTokenStore } from "@o365/core";
import { testTokenBackend } from "../src/index.js";

// The reference backend: every group runs, compare-and-set and lease included.
const store = new MemoryTokenStore();

testTokenBackend({
	name: "memory",
	create: () => new MemoryTokenBackend({ store }),
	reset: () => {
		store.value = undefined;
		store.lease = undefined;
	},
});
