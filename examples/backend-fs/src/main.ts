/**
 * Tokens in a file (@o365/backend-fs), encrypted at rest:
 *
 *   export O365_TOKEN_KEYS=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')
 *   pnpm --filter @o365/example-backend-fs start      # against the test kit (offline)
 *
 * The token file is written atomically (a crash never leaves half a file) with mode 0600, under
 * O365_TOKEN_PATH (default ./.o365-demo/backend-fs). With O365_TOKEN_KEYS (a base64 AES-256 key,
 * or `id:key,id:key` newest first to rotate keys) it is encrypted with AES-256-GCM; without it, it
 * is plain JSON. The first run signs in, the next runs sign in silently from the file.
 */

import { resolve } from "node:path";
import { FileSystemTokenBackend } from "@o365/backend-fs";
import { AesGcmCryptographyManager } from "@o365/core";
import { runMain, showUserWithBackend, startDemo } from "@o365/example-support";

runMain(async () => {
	const encrypted = process.env.O365_TOKEN_KEYS !== undefined;
	const tokenPath = resolve(process.env.O365_TOKEN_PATH ?? ".o365-demo/backend-fs");
	const tokenBackend = new FileSystemTokenBackend({
		tokenPath,
		// The file's path is bound into every envelope: a copy moved elsewhere does not decrypt.
		...(encrypted
			? { cryptographyManager: AesGcmCryptographyManager.fromEnv({ associatedData: `fs:${tokenPath}` }) }
			: {}),
	});
	const demo = await startDemo();
	try {
		await showUserWithBackend(
			demo,
			tokenBackend,
			`${tokenBackend.tokenFile} (${encrypted ? "AES-256-GCM encrypted" : "plain JSON: set O365_TOKEN_KEYS to encrypt it"})`,
		);
	} finally {
		await demo.close();
	}
});
