import {
	BaseTokenBackend,
	type BaseTokenBackendOptions,
	type LeaseOptions,
	type StorageCallOptions,
	type TokenLease,
	type VersionedValue,
} from "@o365/core";
import { acquireRowLease } from "./lease.js";
import { quarantineRow } from "./quarantine.js";
import { isUniqueViolation, resolveTokenDelegate, type TokenDelegate } from "./token-delegate.js";

/** The largest `version` the Int column holds (a 32-bit integer in every database). */
const MAX_VERSION = 2_147_483_647;

export interface PrismaTokenBackendOptions extends BaseTokenBackendOptions {
	/**
	 * Your PrismaClient instance, created with a driver adapter
	 * (`new PrismaClient({ adapter: new PrismaPg({ connectionString }) })`), or an `$extends` of
	 * it. Its schema must hold the `O365Token` model of `@o365/backend-prisma/schema.prisma`.
	 * The backend never connects or disconnects it.
	 */
	prisma: object;
	/**
	 * The token location: the id of the one row this backend reads and writes. A web app uses
	 * one key per user or tenant (e.g. the user's MSAL home account id), so each save writes only
	 * that user's row, however many rows the table holds. At most 191 characters.
	 * @default "default"
	 */
	key?: string;
	/**
	 * The name of the model delegate on your client: `prisma.<model>`. Change it only if you
	 * renamed the model (`model OAuthTokens { … }` → `"oAuthTokens"`).
	 * @default "o365Token"
	 */
	model?: string;
}

/**
 * Keeps the token cache in one row of a Prisma model, for any database Prisma reaches through a
 * driver adapter (PostgreSQL, SQLite, MySQL…). A save updates that row in place — never a row
 * per save, as python-o365's Django backend does — and every save is a compare-and-set on the
 * row's `version`, so concurrent processes merge instead of overwriting each other. The row also
 * carries an expiring lease that coordinates refreshes between processes.
 */
export class PrismaTokenBackend extends BaseTokenBackend {
	readonly name = "prisma";
	/** The token location: the row's id. */
	readonly key: string;
	/** The model delegate's name on the client. */
	readonly model: string;
	readonly #rows: TokenDelegate;
	/** The version of the value `read()` last returned, so that `quarantine()` never moves a newer one. */
	#lastReadVersion: number | undefined;

	constructor(options: PrismaTokenBackendOptions) {
		super(options ?? {});
		const {
			prisma,
			key = "default",
			model = "o365Token",
		} = options ?? ({} as Partial<PrismaTokenBackendOptions>);
		this.#rows = resolveTokenDelegate(prisma, model, key);
		this.key = key;
		this.model = model;
	}

	async read(options: StorageCallOptions = {}): Promise<string | undefined> {
		return (await this.readVersioned(options))?.value;
	}

	/** Replaces the value whatever its version (an upsert: the row is created on the first save). */
	async write(value: string, options: StorageCallOptions = {}): Promise<void> {
		options.signal?.throwIfAborted();
		const update = { value, version: { increment: 1 } };
		try {
			await this.#rows.upsert({
				where: { id: this.key },
				create: { id: this.key, value, version: 1 },
				update,
				select: { id: true },
			});
		} catch (error) {
			// Where the database has no native upsert, Prisma reads then inserts; a racing insert
			// makes that fail, and the row now exists to update.
			if (!isUniqueViolation(error)) throw error;
			await this.#rows.updateMany({ where: { id: this.key }, data: update });
		}
	}

	/** Clears the value. The row stays (with no value) so that versions never repeat and a held lease survives. */
	async remove(options: StorageCallOptions = {}): Promise<boolean> {
		options.signal?.throwIfAborted();
		const { count } = await this.#rows.updateMany({
			where: { id: this.key, value: { not: null } },
			data: { value: null, version: { increment: 1 } },
		});
		return count > 0;
	}

	async exists(options: StorageCallOptions = {}): Promise<boolean> {
		options.signal?.throwIfAborted();
		return (await this.#rows.count({ where: { id: this.key, value: { not: null } } })) > 0;
	}

	override async readVersioned(options: StorageCallOptions = {}): Promise<VersionedValue | undefined> {
		options.signal?.throwIfAborted();
		const row = await this.#rows.findUnique({
			where: { id: this.key },
			select: { value: true, version: true },
		});
		if (row?.value === null || row?.value === undefined) return undefined;
		this.#lastReadVersion = row.version;
		return { value: row.value, version: String(row.version) };
	}

	/**
	 * Writes only over `expectedVersion`, in one conditional statement (`UPDATE … WHERE id = ?
	 * AND version = ?`), so that of two racing writers exactly one succeeds.
	 */
	override async writeIfVersion(
		value: string,
		expectedVersion: string | null,
		options: StorageCallOptions = {},
	): Promise<string | undefined> {
		options.signal?.throwIfAborted();
		if (expectedVersion === null) return this.#writeIfNothingStored(value);
		// Not a version this backend gave (or beyond the Int column): it cannot match.
		if (!/^\d{1,10}$/.test(expectedVersion) || Number(expectedVersion) > MAX_VERSION) return undefined;
		const expected = Number(expectedVersion);
		const { count } = await this.#rows.updateMany({
			where: { id: this.key, version: expected, value: { not: null } },
			data: { value, version: { increment: 1 } },
		});
		return count === 1 ? String(expected + 1) : undefined;
	}

	override acquireLease(options: LeaseOptions): Promise<TokenLease> {
		return acquireRowLease(this.#rows, this.key, options, this.name);
	}

	/**
	 * Moves an unreadable value to its own row, `<key>.corrupt-<UTC time>`, so the next sign-in
	 * starts clean and the evidence is kept (delete such rows once inspected). Does nothing
	 * (resolves `undefined`) when the value changed since it was read: another process saved.
	 */
	override async quarantine(options: StorageCallOptions = {}): Promise<string | undefined> {
		options.signal?.throwIfAborted();
		const aside = await quarantineRow(this.#rows, this.key, this.#lastReadVersion);
		return aside === undefined ? undefined : `prisma.${this.model}[${JSON.stringify(aside)}]`;
	}

	/** Where the token is kept, for logs: `prisma.o365Token["default"]`. */
	override toString(): string {
		return `prisma.${this.model}[${JSON.stringify(this.key)}]`;
	}

	/** The first save of a key: creates the row, or fills one that holds no value (a lease's or a removed one). */
	async #writeIfNothingStored(value: string): Promise<string | undefined> {
		const row = await this.#rows.findUnique({
			where: { id: this.key },
			select: { value: true, version: true },
		});
		if (row === null) {
			try {
				await this.#rows.create({ data: { id: this.key, value, version: 1 }, select: { id: true } });
				return "1";
			} catch (error) {
				if (isUniqueViolation(error)) return undefined; // created meanwhile
				throw error;
			}
		}
		if (row.value !== null && row.value !== undefined) return undefined;
		const version = row.version ?? 0;
		const { count } = await this.#rows.updateMany({
			where: { id: this.key, version, value: null },
			data: { value, version: { increment: 1 } },
		});
		return count === 1 ? String(version + 1) : undefined;
	}
}
