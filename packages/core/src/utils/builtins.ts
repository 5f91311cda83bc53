import { createRequire } from "node:module";

// `import("@o365/core")` should stay cheap: `node:crypto` and `node:stream` cost several
// milliseconds to load and most imports of core need them only once signing in or sending a
// stream, so they are required on first use.
const require = createRequire(import.meta.url);

let crypto: typeof import("node:crypto") | undefined;
let stream: typeof import("node:stream") | undefined;

export function nodeCrypto(): typeof import("node:crypto") {
	crypto ??= require("node:crypto") as typeof import("node:crypto");
	return crypto;
}

export function nodeStream(): typeof import("node:stream") {
	stream ??= require("node:stream") as typeof import("node:stream");
	return stream;
}
