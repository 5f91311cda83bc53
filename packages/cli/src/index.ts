// The programmatic surface of @o365/cli (the `o365` binary is src/bin.ts). This file only re-exports.

export { configDir } from "./config-dir.js";
export { EXIT } from "./errors.js";
export type { CliIo } from "./io.js";
export type { Profile } from "./profiles.js";
export { run } from "./run.js";
