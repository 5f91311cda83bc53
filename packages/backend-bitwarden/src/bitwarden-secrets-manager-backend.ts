import { createHash } from "node:crypto";
import {
	BaseTokenBackend,
	rememberSecret,
	type StorageCallOptions,
	TokenBackendError,
	type VersionedValue,
} from "@o365/core";
import {
	type BitwardenSecretsManagerBackendOptions,
	type ResolvedOptions,
	resolveOptions,
} from "./backend-options.js";
import { type BitwardenClientLike, type BitwardenSecret, createBitwardenClient } from "./bitwarden-client.js";
import { BoundedCall } from "./bounded-call.js";
import { sdkStatus, storeError } from "./sdk-errors.js";
import { runQueued } from "./secret-queue.js";

/** The note of a secret holding a token cache. The backend owns the secret's note. */
const NOTE_STORED = "o365 token cache, written by @o365/backend-bitwarden: do not edit.";
/** The note of a secret whose token was removed: Bitwarden has no empty value, so the note says it. */
const NOTE_REMOVED = "o365: no token stored (removed by @o365/backend-bitwarden).";
/** What replaces the tokens of a removed secret (a value may not be empty). */
const REMOVED_VALUE = "-";
/** The note of a secret holding a value moved aside by `quarantine()`. */
const NOTE_QUARANTINED =
	"o365: an unreadable token cache, moved aside by @o365/backend-bitwarden. Inspect it, then delete this secret.";
/** The SDK refuses a longer value (in characters, before encryption). */
const MAX_VALUE_CHARACTERS = 25_000;

/**
 * Keeps the token cache in one secret of Bitwarden Secrets Manager, through the official SDK
 * (`@bitwarden/sdk-napi`). Unlike python-o365's backend, `new` does no network I/O: the backend
 * logs in on first use, once, shared by concurrent calls; a save works without a prior load and
 * creates the secret when there is none. Compare-and-set uses the secret's revision date, and is
 * exact between backends of one process but best-effort across processes: Bitwarden's API has no
 * conditional write (see the README). Every call is bounded by `timeoutMs` and the caller's signal.
 */
export class BitwardenSecretsManagerBackend extends BaseTokenBackend {
	readonly name = "bitwarden";
	readonly #options: ResolvedOptions;
	#secretId: string | undefined;
	#client: Promise<BitwardenClientLike> | undefined;
	/** The version `readVersioned()` last returned, so that `quarantine()` never moves a newer value. */
	#lastReadVersion: string | undefined;

	constructor(options: BitwardenSecretsManagerBackendOptions) {
		const resolved = resolveOptions(options);
		super(options);
		// Redacted by value from every error and log line built from now on, whole or in part.
		rememberSecret(resolved.accessToken);
		for (const part of resolved.accessToken.split(/[.:]/).slice(2)) rememberSecret(part);
		this.#options = resolved;
		this.#secretId = resolved.secretId;
	}

	/** The secret's id: the one given, or the one the first save created (`undefined` until then). */
	get secretId(): string | undefined {
		return this.#secretId;
	}

	async read(options: StorageCallOptions = {}): Promise<string | undefined> {
		return (await this.readVersioned(options))?.value;
	}

	async write(value: string, options: StorageCallOptions = {}): Promise<void> {
		checkSize(this.name, value);
		await this.#queued("saving the token", options, async (call, client) => {
			await this.#put(call, client, await this.#fetch(call, client), value, NOTE_STORED);
		});
	}

	/** Overwrites the tokens with a placeholder and marks the secret empty; the secret itself stays. */
	async remove(options: StorageCallOptions = {}): Promise<boolean> {
		return this.#queued("removing the token", options, async (call, client) => {
			const current = await this.#fetch(call, client);
			if (current === undefined || isRemoved(current)) return false;
			await this.#put(call, client, current, REMOVED_VALUE, NOTE_REMOVED);
			return true;
		});
	}

	async exists(options: StorageCallOptions = {}): Promise<boolean> {
		return (await this.readVersioned(options)) !== undefined;
	}

	override async readVersioned(options: StorageCallOptions = {}): Promise<VersionedValue | undefined> {
		return this.#unqueued("reading the token", options, async (call, client) => {
			const current = await this.#fetch(call, client);
			if (current === undefined || isRemoved(current)) return undefined;
			this.#lastReadVersion = versionOf(current);
			return { value: current.value, version: this.#lastReadVersion };
		});
	}

	/**
	 * Writes only over `expectedVersion`: reads the secret's revision date, then updates. Bitwarden
	 * cannot make the pair atomic; this process's queue keeps other writes of this process out of
	 * the gap, but a write from another process can still land in it (one round trip long) and is
	 * then overwritten.
	 */
	override async writeIfVersion(
		value: string,
		expectedVersion: string | null,
		options: StorageCallOptions = {},
	): Promise<string | undefined> {
		checkSize(this.name, value);
		return this.#queued("saving the token", options, async (call, client) => {
			const current = await this.#fetch(call, client);
			const currentVersion = current === undefined || isRemoved(current) ? null : versionOf(current);
			if (currentVersion !== expectedVersion) return undefined;
			const written = await this.#put(call, client, current, value, NOTE_STORED);
			return versionOf(written);
		});
	}

	/**
	 * Moves an unreadable value to a new secret, named like this one plus `.corrupt-<UTC time>`, in
	 * the same project, then marks this secret empty, so that the next sign-in starts clean and
	 * the evidence is kept. Resolves `undefined`, moving nothing, when the value changed since it
	 * was read (another writer saved).
	 */
	override async quarantine(options: StorageCallOptions = {}): Promise<string | undefined> {
		return this.#queued("moving an unreadable token aside", options, async (call, client) => {
			const current = await this.#fetch(call, client);
			if (current === undefined || isRemoved(current) || versionOf(current) !== this.#lastReadVersion) {
				return undefined;
			}
			const name = `${current.key.slice(0, 450)}.corrupt-${new Date().toISOString()}`;
			let aside: BitwardenSecret;
			try {
				aside = await call.wait(
					client
						.secrets()
						.create(
							current.organizationId,
							name,
							current.value,
							NOTE_QUARANTINED,
							current.projectId ? [current.projectId] : [],
						),
					"moving an unreadable token aside",
				);
			} catch (error) {
				throw this.#error(call, error, "create a Bitwarden secret to move the unreadable token to");
			}
			await this.#put(call, client, current, REMOVED_VALUE, NOTE_REMOVED);
			return `bitwarden:secret/${aside.id} ("${name}")`;
		});
	}

	/** Where the token is kept, for logs: `bitwarden:secret/<id>`. Never the access token. */
	override toString(): string {
		return `bitwarden:secret/${this.#secretId ?? "(created by the first save)"}`;
	}

	/** A read: bounded, logged in, not queued. */
	async #unqueued<T>(
		what: string,
		options: StorageCallOptions,
		body: (call: BoundedCall, client: BitwardenClientLike) => Promise<T>,
	): Promise<T> {
		const call = new BoundedCall(this.name, this.#options.timeoutMs, options.signal);
		call.check(what);
		return body(call, await this.#loggedIn(call));
	}

	/** A change: bounded, logged in, and after every earlier change of this process to the secret. */
	async #queued<T>(
		what: string,
		options: StorageCallOptions,
		body: (call: BoundedCall, client: BitwardenClientLike) => Promise<T>,
	): Promise<T> {
		const call = new BoundedCall(this.name, this.#options.timeoutMs, options.signal);
		call.check(what);
		const key = this.#secretId ?? `new:${this.#options.organizationId}:${this.#options.secretKey}`;
		return runQueued(
			key,
			(turn) =>
				call.wait(
					turn,
					`${what}, behind an earlier change of this process to the same secret that is still running`,
					false,
				),
			async () => body(call, await this.#loggedIn(call)),
			() => call.settled(),
		);
	}

	/** The client, logged in: one login per backend, shared by concurrent calls, retried after a failure. */
	async #loggedIn(call: BoundedCall): Promise<BitwardenClientLike> {
		if (this.#client === undefined) {
			const login = (async () => {
				const client =
					this.#options.client ??
					(await createBitwardenClient(this.name, {
						apiUrl: this.#options.apiUrl,
						identityUrl: this.#options.identityUrl,
					}));
				await client.auth().loginAccessToken(this.#options.accessToken);
				return client;
			})();
			this.#client = login;
			login.catch(() => {
				if (this.#client === login) this.#client = undefined;
			});
		}
		try {
			return await call.wait(this.#client, "logging in to Bitwarden", false);
		} catch (error) {
			throw this.#error(call, error, "log in to Bitwarden with the access token");
		}
	}

	/** The secret, or `undefined` when there is none yet (no id, or no secret with that id). */
	async #fetch(call: BoundedCall, client: BitwardenClientLike): Promise<BitwardenSecret | undefined> {
		const id = this.#secretId;
		if (id === undefined) return undefined;
		try {
			return await call.wait(client.secrets().get(id), "reading the token from Bitwarden");
		} catch (error) {
			if (sdkStatus(error) === 404) return undefined;
			throw this.#error(call, error, "read the token from Bitwarden");
		}
	}

	/** Updates the secret, or creates it when there is none (and says which id it got). */
	async #put(
		call: BoundedCall,
		client: BitwardenClientLike,
		current: BitwardenSecret | undefined,
		value: string,
		note: string,
	): Promise<BitwardenSecret> {
		const { organizationId, projectId, secretKey } = this.#options;
		if (current !== undefined) {
			const projectIds = current.projectId ? [current.projectId] : projectId ? [projectId] : [];
			try {
				return await call.wait(
					client.secrets().update(current.organizationId, current.id, current.key, value, note, projectIds),
					"saving the token to Bitwarden",
				);
			} catch (error) {
				throw this.#error(call, error, "save the token to Bitwarden");
			}
		}
		if (organizationId === undefined) {
			throw new TokenBackendError(
				this.name,
				"backend_invalid_config",
				`there is no secret ${this.#secretId} (deleted, or the machine account may not see it), and no organizationId to create one in: check secretId, or pass organizationId (and projectId) so that the backend creates the secret.`,
			);
		}
		let created: BitwardenSecret;
		try {
			created = await call.wait(
				client.secrets().create(organizationId, secretKey, value, note, projectId ? [projectId] : []),
				"creating a Bitwarden secret for the token",
			);
		} catch (error) {
			throw this.#error(call, error, "create a Bitwarden secret for the token");
		}
		this.#secretId = created.id;
		try {
			this.#options.onSecretCreated?.(created.id);
		} catch {
			// The secret exists and holds the token: the caller's notification failing changes neither.
		}
		return created;
	}

	#error(call: BoundedCall, error: unknown, what: string): unknown {
		if (call.isAbortReason(error)) return error;
		return storeError(this.name, error, what, `secret ${this.#secretId ?? "(new)"}`);
	}
}

function isRemoved(secret: BitwardenSecret): boolean {
	return secret.note === NOTE_REMOVED;
}

/**
 * The revision date, plus a digest of the value: the SDK gives the date to the millisecond only,
 * and two writes within one millisecond must still get different versions.
 */
function versionOf(secret: BitwardenSecret): string {
	const date = new Date(secret.revisionDate).toISOString();
	const digest = createHash("sha256").update(secret.value).digest("base64url").slice(0, 16);
	return `${date}~${digest}`;
}

function checkSize(backend: string, value: string): void {
	if (value.length <= MAX_VALUE_CHARACTERS) return;
	const characters = [...value].length;
	if (characters <= MAX_VALUE_CHARACTERS) return;
	throw new TokenBackendError(
		backend,
		"backend_io",
		`the token cache is ${characters} characters, and a Bitwarden secret holds at most ${MAX_VALUE_CHARACTERS}: keep fewer users per secret (one backend, and secret, per user). Nothing was written.`,
	);
}
