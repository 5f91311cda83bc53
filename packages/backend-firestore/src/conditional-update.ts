import {
	type DocumentReference,
	type DocumentSnapshot,
	FieldPath,
	FieldValue,
} from "@google-cloud/firestore";
import type { CallDeadline } from "./call-deadline.js";

/** gRPC status codes that mean "the document changed since it was read": read it again. */
const CHANGED_MEANWHILE = new Set([
	5, // NOT_FOUND: deleted since read
	6, // ALREADY_EXISTS: created since read
	9, // FAILED_PRECONDITION: updated since read
	10, // ABORTED
]);

/** What to do with the document as read: resolve `result`, after applying `changes` if given. */
export interface Decision<T> {
	result: T;
	/**
	 * Fields to set (field name → value; `undefined` deletes the field). Only these fields are
	 * written; every other field of the document is left as it is.
	 */
	changes?: Map<string, unknown>;
}

/**
 * One document's optimistic transaction: reads it, lets `decide` choose, and writes the chosen
 * fields with a precondition on the update time it read (or creates the document if it did not
 * exist), so that the write applies only to the very document `decide` saw. When another writer
 * got there first, reads again and decides again, until the deadline ends. Unlike
 * `runTransaction`, it takes no lock and each step races the deadline; and since every write is
 * conditional, a write abandoned at the deadline that lands later changes nothing that was
 * written after the read it was decided on.
 *
 * A document left with none of its fields is deleted (with the same precondition).
 */
export async function updateConditionally<T>(
	ref: DocumentReference,
	deadline: CallDeadline,
	decide: (snapshot: DocumentSnapshot) => Decision<T>,
	onAbandoned?: (late: T) => void,
): Promise<T> {
	for (;;) {
		const snapshot = await deadline.run(() => ref.get());
		const { result, changes } = decide(snapshot);
		if (changes === undefined || changes.size === 0) return result;
		try {
			await deadline.run(
				() => applyChanges(ref, snapshot, changes),
				onAbandoned === undefined ? undefined : () => onAbandoned(result),
			);
			return result;
		} catch (error) {
			if (!CHANGED_MEANWHILE.has((error as { code?: unknown } | null)?.code as number)) throw error;
		}
	}
}

async function applyChanges(
	ref: DocumentReference,
	snapshot: DocumentSnapshot,
	changes: Map<string, unknown>,
): Promise<unknown> {
	if (!snapshot.exists || snapshot.updateTime === undefined) {
		const created: Record<string, unknown> = {};
		for (const [field, value] of changes) if (value !== undefined) created[field] = value;
		if (Object.keys(created).length === 0) return; // nothing to delete from a missing document
		return ref.create(created); // keys of create() are field names as they are, dots included
	}
	const precondition = { lastUpdateTime: snapshot.updateTime };
	const remaining = new Set(Object.keys(snapshot.data() ?? {}));
	for (const [field, value] of changes) {
		if (value === undefined) remaining.delete(field);
		else remaining.add(field);
	}
	if (remaining.size === 0) return ref.delete(precondition);
	// update() reads string keys as dotted paths: FieldPath keeps any field name whole.
	const pairs: unknown[] = [];
	for (const [field, value] of changes) {
		pairs.push(new FieldPath(field), value === undefined ? FieldValue.delete() : value);
	}
	const [first, firstValue, ...more] = pairs as [FieldPath, unknown, ...unknown[]];
	return ref.update(first, firstValue, ...more, precondition);
}
