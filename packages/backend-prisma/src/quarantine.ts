import { isUniqueViolation, MAX_KEY_LENGTH, type TokenDelegate } from "./token-delegate.js";

/**
 * Moves the value of row `key` into a new row `<key>.corrupt-<UTC time>` (the key cut short if
 * the id would not fit the column), then clears the value of row `key`, which keeps its version
 * and its lease. Only the value stored at `seenVersion` is moved (any, when `undefined`): when
 * another process saved meanwhile, nothing moves and it resolves `undefined`. Resolves the new
 * row's id.
 */
export async function quarantineRow(
	delegate: TokenDelegate,
	key: string,
	seenVersion: number | undefined,
): Promise<string | undefined> {
	const row = await delegate.findUnique({ where: { id: key }, select: { value: true, version: true } });
	if (row?.value === null || row?.value === undefined || row.version === undefined) return undefined;
	if (seenVersion !== undefined && row.version !== seenVersion) return undefined;
	const aside = await createAsideRow(delegate, key, row.value);
	const { count } = await delegate.updateMany({
		where: { id: key, version: row.version, value: { not: null } },
		data: { value: null, version: { increment: 1 } },
	});
	if (count === 1) return aside;
	// Saved meanwhile: what was copied is no longer what is stored.
	await delegate.deleteMany({ where: { id: aside } });
	return undefined;
}

/** Creates the row that keeps `value` aside; never overwrites an earlier one (two moves in one millisecond). */
async function createAsideRow(delegate: TokenDelegate, key: string, value: string): Promise<string> {
	// No colons: the same stamp as backend-fs's quarantined files.
	const stamp = new Date().toISOString().replaceAll(":", "");
	for (let n = 1; ; n++) {
		const suffix = `.corrupt-${stamp}${n === 1 ? "" : `-${n}`}`;
		const id = `${key.slice(0, MAX_KEY_LENGTH - suffix.length)}${suffix}`;
		try {
			await delegate.create({ data: { id, value, version: 0 }, select: { id: true } });
			return id;
		} catch (error) {
			if (!isUniqueViolation(error)) throw error;
		}
	}
}
