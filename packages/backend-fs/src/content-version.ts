import { createHash } from "node:crypto";

/**
 * The version of a stored token for compare-and-set: a SHA-256 of the file's bytes.
 *
 * A content hash rather than file metadata (inode, mtime, size): it is computed from exactly the
 * bytes that were read, so it cannot describe a different file than the one whose content was
 * returned; it survives copies, backups and restores; and it does not depend on the timestamp
 * resolution of the file system (two saves in the same tick would share an mtime). Two versions
 * are equal only when the contents are, and then writing over one loses nothing the other had.
 * Hashing ~300 KiB takes well under a millisecond.
 */
export function contentVersion(content: string | Uint8Array): string {
	return `sha256:${createHash("sha256").update(content).digest("base64url")}`;
}
