/**
 * One token location per signed-in user: a FileSystemTokenBackend folder each, under one root folder.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { FileSystemTokenBackend } from "@o365/backend-fs";
import type { BaseTokenBackend } from "@o365/core";
import type { UserTokenStore } from "@o365/example-web-app";

/** A home account id is `<object id>.<tenant id>` (two GUIDs): safe as a folder name. Anything else is hashed. */
const SAFE_KEY = /^[0-9a-f-]{1,64}\.[0-9a-f-]{1,64}$/i;

export class FileSystemUserTokenStore implements UserTokenStore {
	/** @param root the folder holding one folder per user */
	constructor(readonly root: string) {}

	/** The folder of a user's token file. */
	folderFor(userKey: string): string {
		const name = SAFE_KEY.test(userKey)
			? userKey.toLowerCase()
			: createHash("sha256").update(userKey).digest("hex");
		return join(this.root, name);
	}

	backendFor(userKey: string): BaseTokenBackend {
		return new FileSystemTokenBackend({ tokenPath: this.folderFor(userKey) });
	}
}
