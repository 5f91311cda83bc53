/**
 * The multi-user web app example: the web app of ../web-app with each signed-in user's tokens in their own
 * folder (FileSystemTokenBackend), so they survive a restart and never mix.
 *
 *   pnpm --filter @o365/example-multi-user-web-app start     # offline: the test kit's fakes
 *
 * Listens on PORT (default 3000). Token folders go under O365_TOKEN_ROOT (default: a new temporary folder).
 * Set O365_CLIENT_ID, O365_CLIENT_SECRET, O365_TENANT_ID and O365_REDIRECT_URI for real Microsoft Entra.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { serveWebApp } from "@o365/example-web-app";
import { FileSystemUserTokenStore } from "./fs-user-tokens.js";

const root = process.env.O365_TOKEN_ROOT
	? resolve(process.env.O365_TOKEN_ROOT)
	: await mkdtemp(join(tmpdir(), "o365-web-users-"));
serveWebApp({
	tokens: new FileSystemUserTokenStore(root),
	notes: [`Each user's tokens are stored in a folder under ${root}`],
});
