import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";

/** Permissions of the token file: owner read/write only. */
export const FILE_MODE = 0o600;
/** Permissions of folders this package creates: owner only. */
const DIRECTORY_MODE = 0o700;

/**
 * Replaces `file` with `data` so that a reader (in this or another process) sees either the old
 * content or the new one, never a mix: the data goes to a uniquely named temporary file in the
 * same folder (same file system, so the rename is atomic), is flushed to disk, and only then is
 * renamed over `file`. The result always has `mode` (default `0600`), whatever the umask or the old
 * file's mode.
 */
export async function writeFileAtomic(
	file: string,
	data: string,
	signal?: AbortSignal,
	mode: number = FILE_MODE,
): Promise<void> {
	const directory = path.dirname(file);
	await createPrivateDirectory(directory);
	signal?.throwIfAborted();
	// pid + random: unique across concurrent writers in this and other processes; the leading dot
	// keeps it out of casual listings.
	const temporary = path.join(
		directory,
		`.${path.basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
	);
	// "wx": never follow or reuse something that is already there.
	const handle = await open(temporary, "wx", FILE_MODE);
	try {
		try {
			// open()'s mode is filtered by the umask; chmod sets `mode` exactly.
			await handle.chmod(mode);
			await handle.writeFile(data, { encoding: "utf8" });
			// Without this, a crash soon after the rename can leave an empty file on some file systems.
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(temporary, file);
	} catch (error) {
		await rm(temporary, { force: true }).catch(() => undefined);
		throw error;
	}
	await syncDirectory(directory);
}

/**
 * Creates `directory` and any missing parents as `0700`. Folders that already exist keep their
 * mode: they belong to the user, who may share them on purpose.
 */
export async function createPrivateDirectory(directory: string): Promise<void> {
	const firstCreated = await mkdir(directory, { recursive: true, mode: DIRECTORY_MODE });
	if (firstCreated === undefined) return;
	// mkdir's mode is filtered by the umask; set it exactly on each folder created just now.
	for (let current = directory; ; current = path.dirname(current)) {
		await chmod(current, DIRECTORY_MODE);
		if (current === firstCreated || current === path.dirname(current)) break;
	}
}

/**
 * Flushes the folder entry so the rename itself survives a power loss. Best-effort: some
 * platforms and file systems (Windows, some network mounts) cannot open or sync a folder.
 */
async function syncDirectory(directory: string): Promise<void> {
	try {
		const handle = await open(directory, "r");
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch {
		// The data is already in place; only durability against a crash is weaker.
	}
}
