import { constants, type Stats } from "node:fs";
import { type FileHandle, lstat, open } from "node:fs/promises";
import { errorCode } from "./errno.js";

/** What stands at a path instead of a regular file, for messages. */
export type NotARegularFile = "a symbolic link" | "a FIFO" | "a device" | "a socket";

/** An open regular file (or folder: reading it fails with `EISDIR`), and its `fstat`. */
export interface OpenedFile {
	handle: FileHandle;
	stats: Stats;
}

/**
 * Opens `file` for reading, only if it is a regular file (or a folder, left for the read to
 * refuse with `EISDIR`, as before). `O_NONBLOCK` makes opening a FIFO return at once instead of
 * waiting forever for a writer, and `fstat` on the open descriptor then tells what it is, with no
 * gap between check and use. `O_NOFOLLOW` refuses a final symbolic link unless `followSymlinks`.
 * (Windows has neither flag; there, an `lstat` just before plays their part.)
 *
 * @returns the open file; `undefined` when nothing is there; what is there instead of a file.
 */
export async function openRegularFile(
	file: string,
	followSymlinks: boolean,
): Promise<OpenedFile | NotARegularFile | undefined> {
	const { O_RDONLY, O_NONBLOCK = 0, O_NOFOLLOW = 0 } = constants;
	if (O_NOFOLLOW === 0 && !followSymlinks) {
		const link = await lstat(file).catch(() => undefined);
		if (link?.isSymbolicLink()) return "a symbolic link";
	}
	let handle: FileHandle;
	try {
		handle = await open(file, O_RDONLY | O_NONBLOCK | (followSymlinks ? 0 : O_NOFOLLOW));
	} catch (error) {
		const code = errorCode(error);
		if (code === "ENOENT") return undefined;
		// ELOOP: a final symlink under O_NOFOLLOW (EMLINK on FreeBSD); ENXIO: a socket.
		if (code === "ELOOP" || code === "EMLINK" || code === "ENXIO") {
			const what = await lstat(file).then(describeNonFile, () => undefined);
			if (what !== undefined) return what;
		}
		throw error;
	}
	try {
		const stats = await handle.stat();
		const what = describeNonFile(stats);
		if (what === undefined) return { handle, stats };
		await handle.close();
		return what;
	} catch (error) {
		await handle.close().catch(() => undefined);
		throw error;
	}
}

/** What `stats` describe when it is neither a regular file nor a folder; `undefined` otherwise. */
export function describeNonFile(stats: Stats): NotARegularFile | undefined {
	if (stats.isSymbolicLink()) return "a symbolic link";
	if (stats.isFIFO()) return "a FIFO";
	if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
	if (stats.isSocket()) return "a socket";
	return undefined;
}

/** Size of one read, in bytes. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads the open file to its end, but never more than `maxBytes`: a file that claims to be
 * smaller than it is (files of `/proc`, a file still growing) cannot make this read without end.
 *
 * @returns the bytes, or `undefined` when the file holds more than `maxBytes`.
 */
export async function readAtMost(
	handle: FileHandle,
	maxBytes: number,
	signal?: AbortSignal,
): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let total = 0;
	for (;;) {
		signal?.throwIfAborted();
		// One byte past the limit tells "exactly maxBytes" from "more".
		const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
		const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
		if (bytesRead === 0) return Buffer.concat(chunks, total);
		chunks.push(chunk.subarray(0, bytesRead));
		total += bytesRead;
		if (total > maxBytes) return undefined;
	}
}
