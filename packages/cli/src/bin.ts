#!/usr/bin/env node
// The `o365` executable. Ctrl+C aborts the running command, which then exits 130 after cleaning
// up (a loopback server closed, a lock released); a second Ctrl+C exits at once.
import { EXIT } from "./errors.js";
import { run } from "./run.js";

const interrupt = new AbortController();
process.on("SIGINT", () => {
	if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
	interrupt.abort();
});
// `o365 get users --all | head -1`: the reader left, which is no error of ours.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
	if (error.code === "EPIPE") process.exit(EXIT.ok);
	throw error;
});
process.exitCode = await run(process.argv.slice(2), { signal: interrupt.signal });
