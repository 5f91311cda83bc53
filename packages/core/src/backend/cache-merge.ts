import { CACHE_SECTIONS, type CacheDocument } from "./cache-json.js";

export function cloneCacheDocument(document: CacheDocument): CacheDocument {
	return structuredClone(document);
}

/**
 * Three-way merge by cache entry: applies what changed from `base` to `ours` (entries added,
 * replaced or removed) onto `theirs`, the document another writer stored meanwhile. Entries only
 * they touched survive, so two processes saving different users' tokens never lose one another's.
 */
export function mergeCacheDocuments(
	base: CacheDocument,
	ours: CacheDocument,
	theirs: CacheDocument,
): CacheDocument {
	const merged = cloneCacheDocument(theirs);
	for (const section of CACHE_SECTIONS) {
		const baseEntries = base[section] as Record<string, unknown>;
		const ourEntries = ours[section] as Record<string, unknown>;
		const mergedEntries = merged[section] as Record<string, unknown>;
		for (const [key, entry] of Object.entries(ourEntries)) {
			if (JSON.stringify(entry) !== JSON.stringify(baseEntries[key]))
				mergedEntries[key] = structuredClone(entry);
		}
		for (const key of Object.keys(baseEntries)) {
			if (!(key in ourEntries)) delete mergedEntries[key];
		}
	}
	return merged;
}
