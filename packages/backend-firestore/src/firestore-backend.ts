import { randomUUID } from "node:crypto";
import {
	type DocumentReference,
	type DocumentSnapshot,
	FieldPath,
	type Firestore,
} from "@google-cloud/firestore";
import {
	BaseTokenBackend,
	type BaseTokenBackendOptions,
	ConfigurationError,
	type LeaseOptions,
	type StorageCallOptions,
	TokenBackendError,
	type TokenLease,
	type VersionedValue,
} from "@o365/core";
import { type CallDeadline, withDeadline } from "./call-deadline.js";
import { type Decision, updateConditionally } from "./conditional-update.js";
import { acquireDocumentLease } from "./document-lease.js";
import { storeError } from "./store-error.js";

/** Firestore's limit on a field name, in UTF-8 bytes, less room for the suffixes added here. */
const MAX_FIELD_NAME_BYTES = 1_400;
/** Versions given to a value stored without one (by python-o365, or by hand): its update time. */
const LEGACY_VERSION_PREFIX = "updated:";

export interface FirestoreBackendOptions extends BaseTokenBackendOptions {
	/**
	 * Your `Firestore` client (`new Firestore({ projectId })` from `@google-cloud/firestore` 8).
	 * The backend never terminates it.
	 */
	client: Firestore;
	/** The collection's path, e.g. `"o365"` or `"tenants/contoso/tokens"`. */
	collection: string;
	/** The document's id within `collection`, e.g. one per user or tenant. */
	docId: string;
	/**
	 * The field that holds the token cache. The backend also keeps `<fieldName>_version`,
	 * `<fieldName>_lease` and, for moved-aside values, `<fieldName>_corrupt_<UTC time>` in the
	 * same document; it never touches any other field.
	 * @default "token"
	 */
	fieldName?: string;
	/**
	 * The longest any one call may take, in milliseconds, retries included: past it the call
	 * rejects with a `TokenBackendError` coded `backend_io`. (The Firestore client itself keeps
	 * retrying an unreachable server for about ten minutes.) A lease's wait is `waitMs`, and each
	 * attempt within it is bounded by this.
	 * @default 30_000
	 */
	timeoutMs?: number;
}

/**
 * Keeps the token cache in one string field of a Cloud Firestore document, python-o365's
 * `FirestoreBackend` made safe to share: a save writes only this backend's fields (the
 * document's other fields survive), every change is a compare-and-set on the document's update
 * time, the lease that coordinates refreshes between processes lives in the same document, and
 * every call is bounded by `timeoutMs` and the caller's `AbortSignal`.
 *
 * @example
 * import { Firestore } from "@google-cloud/firestore";
 * const backend = new FirestoreBackend({ client: new Firestore(), collection: "o365", docId: "contoso" });
 */
export class FirestoreBackend extends BaseTokenBackend {
	readonly name = "firestore";
	/** The document's path, e.g. `o365/contoso`. */
	readonly path: string;
	/** The field that holds the token cache. */
	readonly fieldName: string;
	/** The longest any call may take, in milliseconds. */
	readonly timeoutMs: number;
	readonly #ref: DocumentReference;
	readonly #versionField: string;
	readonly #leaseField: string;
	/** The version of the value `read()` last returned, so that `quarantine()` never moves a newer one. */
	#lastReadVersion: string | undefined;

	constructor(options: FirestoreBackendOptions) {
		super(options ?? {});
		const {
			client,
			collection,
			docId,
			fieldName = "token",
			timeoutMs = 30_000,
		} = options ?? ({} as Partial<FirestoreBackendOptions>);
		if (typeof (client as Partial<Firestore> | undefined)?.collection !== "function") {
			invalid(
				"client must be a Firestore instance from @google-cloud/firestore: new Firestore({ projectId }).",
			);
		}
		if (typeof collection !== "string" || collection === "") {
			invalid('collection must be a non-empty collection path, e.g. "o365" or "tenants/contoso/tokens".');
		}
		if (typeof docId !== "string" || !isValidDocumentId(docId)) {
			invalid(
				`docId must be a non-empty Firestore document id without "/", not "." or "..", and not of the form __name__; got ${JSON.stringify(docId)}.`,
			);
		}
		if (
			typeof fieldName !== "string" ||
			fieldName === "" ||
			/^__.*__$/.test(fieldName) ||
			Buffer.byteLength(fieldName) > MAX_FIELD_NAME_BYTES
		) {
			invalid(
				`fieldName must be a non-empty field name of at most ${MAX_FIELD_NAME_BYTES} bytes, not of the form __name__; got ${JSON.stringify(fieldName)}.`,
			);
		}
		if (typeof timeoutMs !== "number" || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
			invalid(`timeoutMs must be a positive number of milliseconds; got ${String(timeoutMs)}.`);
		}
		let ref: DocumentReference;
		try {
			ref = client.collection(collection).doc(docId);
		} catch {
			invalid(
				`collection ${JSON.stringify(collection)} is not a collection path: it needs an odd number of non-empty segments, e.g. "o365" or "tenants/contoso/tokens".`,
			);
		}
		this.#ref = ref;
		this.path = ref.path;
		this.fieldName = fieldName;
		this.timeoutMs = timeoutMs;
		this.#versionField = `${fieldName}_version`;
		this.#leaseField = `${fieldName}_lease`;
	}

	async read(options: StorageCallOptions = {}): Promise<string | undefined> {
		return (await this.readVersioned(options))?.value;
	}

	/** Replaces the value whatever its version; the document's other fields stay as they are. */
	async write(value: string, options: StorageCallOptions = {}): Promise<void> {
		await this.#update("save the token", options, () => ({
			result: undefined,
			changes: this.#valueChanges(value),
		}));
	}

	/** Deletes this backend's value fields (the document too, if nothing else is left in it). */
	async remove(options: StorageCallOptions = {}): Promise<boolean> {
		return this.#update("delete the token", options, (snapshot) =>
			this.#valueOf(snapshot) === undefined
				? { result: false }
				: {
						result: true,
						changes: new Map([
							[this.fieldName, undefined],
							[this.#versionField, undefined],
						]),
					},
		);
	}

	/** Reads only the version field, so the value is not transferred (unless it has no version). */
	async exists(options: StorageCallOptions = {}): Promise<boolean> {
		return this.#call("check for the token", options, async (deadline) => {
			const firestore = this.#ref.firestore;
			const [versionOnly] = await deadline.run(() =>
				firestore.getAll(this.#ref, { fieldMask: [new FieldPath(this.#versionField)] }),
			);
			if (versionOnly === undefined || !versionOnly.exists) return false;
			if (versionOnly.get(new FieldPath(this.#versionField)) !== undefined) return true;
			const [valueOnly] = await deadline.run(() =>
				firestore.getAll(this.#ref, { fieldMask: [new FieldPath(this.fieldName)] }),
			);
			return valueOnly !== undefined && this.#valueOf(valueOnly) !== undefined;
		});
	}

	override async readVersioned(options: StorageCallOptions = {}): Promise<VersionedValue | undefined> {
		const snapshot = await this.#call("read the token", options, (deadline) =>
			deadline.run(() => this.#ref.get()),
		);
		const value = this.#valueOf(snapshot);
		if (value === undefined) return undefined;
		const version = this.#versionOf(snapshot) as string;
		this.#lastReadVersion = version;
		return { value, version };
	}

	/**
	 * Writes only over `expectedVersion`: a conditional update on the update time of the document
	 * read, so that of two racing writers exactly one succeeds.
	 */
	override async writeIfVersion(
		value: string,
		expectedVersion: string | null,
		options: StorageCallOptions = {},
	): Promise<string | undefined> {
		return this.#update("save the token", options, (snapshot) => {
			const current = this.#valueOf(snapshot) === undefined ? null : this.#versionOf(snapshot);
			if (current !== expectedVersion) return { result: undefined };
			const changes = this.#valueChanges(value);
			return { result: changes.get(this.#versionField) as string, changes };
		});
	}

	override acquireLease(options: LeaseOptions): Promise<TokenLease> {
		return acquireDocumentLease(
			{
				ref: this.#ref,
				field: this.#leaseField,
				backendName: this.name,
				timeoutMs: this.timeoutMs,
				storeError: (what, error) => storeError(this.name, what, this.path, error),
			},
			options,
		);
	}

	/**
	 * Moves an unreadable value to the field `<fieldName>_corrupt_<UTC time>` of the same
	 * document and clears the value, in one conditional update, so the next sign-in starts clean
	 * and the evidence is kept (delete such fields once inspected). Does nothing (resolves
	 * `undefined`) when the value changed since it was read: another process saved.
	 */
	override async quarantine(options: StorageCallOptions = {}): Promise<string | undefined> {
		const seen = this.#lastReadVersion;
		const aside = await this.#update("move the unreadable token aside", options, (snapshot) => {
			const value = snapshot.exists ? snapshot.get(new FieldPath(this.fieldName)) : undefined;
			if (value === undefined) return { result: undefined };
			if (seen !== undefined && this.#versionOf(snapshot) !== seen) return { result: undefined };
			const field = this.#asideField(snapshot);
			return {
				result: field,
				changes: new Map<string, unknown>([
					[field, value],
					[this.fieldName, undefined],
					[this.#versionField, undefined],
				]),
			};
		});
		return aside === undefined ? undefined : `firestore:${this.path}#${aside}`;
	}

	/** Where the token is kept, for logs: `firestore:o365/contoso#token`. */
	override toString(): string {
		return `firestore:${this.path}#${this.fieldName}`;
	}

	/** The value and a new version, to write together. */
	#valueChanges(value: string): Map<string, unknown> {
		if (typeof value !== "string") {
			throw new TokenBackendError(
				this.name,
				"invalid_option",
				`write needs a string value (the serialized token cache); got ${typeof value}.`,
			);
		}
		return new Map([
			[this.fieldName, value],
			[this.#versionField, randomUUID()],
		]);
	}

	/** The stored value, `undefined` when none; a value of another type is corrupt. */
	#valueOf(snapshot: DocumentSnapshot): string | undefined {
		const value = snapshot.exists ? snapshot.get(new FieldPath(this.fieldName)) : undefined;
		if (value === undefined || value === null) return undefined;
		if (typeof value !== "string") {
			throw new TokenBackendError(
				this.name,
				"backend_corrupt",
				`the field ${JSON.stringify(this.fieldName)} of ${this.path} holds a ${typeof value}, not the string this backend stores; delete that field, or choose another fieldName.`,
			);
		}
		return value;
	}

	/** The value's version: its version field, or for a value stored without one, the document's update time. */
	#versionOf(snapshot: DocumentSnapshot): string | undefined {
		const version = snapshot.get(new FieldPath(this.#versionField));
		if (typeof version === "string") return version;
		const updated = snapshot.updateTime;
		return updated === undefined
			? undefined
			: `${LEGACY_VERSION_PREFIX}${updated.seconds}.${String(updated.nanoseconds).padStart(9, "0")}`;
	}

	/** `<fieldName>_corrupt_<UTC time>`, numbered if that field exists already. */
	#asideField(snapshot: DocumentSnapshot): string {
		// No colons: the same stamp as backend-fs's quarantined files.
		const stamp = new Date().toISOString().replaceAll(":", "");
		for (let n = 1; ; n++) {
			const field = `${this.fieldName}_corrupt_${stamp}${n === 1 ? "" : `-${n}`}`;
			if (snapshot.get(new FieldPath(field)) === undefined) return field;
		}
	}

	#update<T>(
		what: string,
		options: StorageCallOptions,
		decide: (snapshot: DocumentSnapshot) => Decision<T>,
	): Promise<T> {
		return this.#call(what, options, (deadline) => updateConditionally(this.#ref, deadline, decide));
	}

	/** Runs one call under its deadline, with Firestore's errors turned into typed ones. */
	async #call<T>(
		what: string,
		options: StorageCallOptions,
		call: (deadline: CallDeadline) => Promise<T>,
	): Promise<T> {
		const { signal } = options;
		try {
			return await withDeadline(this.name, what, this.timeoutMs, signal, call);
		} catch (error) {
			if (signal?.aborted && error === signal.reason) throw error;
			throw storeError(this.name, what, this.path, error);
		}
	}
}

function invalid(message: string): never {
	throw new ConfigurationError("backend_invalid_config", `[o365:firestore] ${message}`);
}

/** Firestore's rules for a document id. */
function isValidDocumentId(id: string): boolean {
	return (
		id !== "" &&
		!id.includes("/") &&
		id !== "." &&
		id !== ".." &&
		!/^__.*__$/.test(id) &&
		Buffer.byteLength(id) <= 1_500
	);
}
