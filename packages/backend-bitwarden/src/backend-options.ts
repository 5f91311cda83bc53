import { type BaseTokenBackendOptions, ConfigurationError } from "@o365/core";
import type { BitwardenClientLike } from "./bitwarden-client.js";

export interface BitwardenSecretsManagerBackendOptions extends BaseTokenBackendOptions {
	/**
	 * The machine account's access token (`0.<id>.<secret>:<key>`). The backend logs in with it on
	 * first use, once. It never appears in an error, a log line or `util.inspect` output.
	 */
	accessToken: string;
	/**
	 * The id (a UUID) of the secret that holds the token cache. Without it, or when no secret has
	 * this id, the first save creates one (in `organizationId`, and `projectId` if given) and
	 * reports its id through `onSecretCreated` and the `secretId` property: keep it in your
	 * configuration so that later runs find the same secret.
	 * @default undefined (created by the first save)
	 */
	secretId?: string | undefined;
	/**
	 * The organization (a UUID) to create the secret in. Required unless `secretId` names an
	 * existing secret.
	 * @default undefined
	 */
	organizationId?: string | undefined;
	/**
	 * The project (a UUID) to create the secret in. A machine account can only create secrets in
	 * a project it may write to, so this is usually required for creation.
	 * @default undefined
	 */
	projectId?: string | undefined;
	/**
	 * The name a created secret gets (what the web vault shows), at most 500 characters.
	 * @default "o365-token"
	 */
	secretKey?: string | undefined;
	/**
	 * Your `BitwardenClient` from `@bitwarden/sdk-napi`, not yet logged in (the backend logs it in
	 * with `accessToken`). Without it the backend makes one on first use from `apiUrl` and
	 * `identityUrl`.
	 * @default undefined (made on first use)
	 */
	client?: BitwardenClientLike | undefined;
	/**
	 * The Secrets Manager API, e.g. `https://api.bitwarden.eu` for the EU cloud or your
	 * self-hosted server's `/api`. Only when the backend makes the client.
	 * @default "https://api.bitwarden.com"
	 */
	apiUrl?: string | undefined;
	/**
	 * The identity server the access token is exchanged at. Only when the backend makes the client.
	 * @default "https://identity.bitwarden.com"
	 */
	identityUrl?: string | undefined;
	/**
	 * The longest any one call of the backend (`read`, `write`…, login included) may take, in
	 * milliseconds; past it the call rejects with a `TokenBackendError` coded `backend_io`.
	 * @default 30_000
	 */
	timeoutMs?: number | undefined;
	/** Called with the id of a secret the backend created (see `secretId`). */
	onSecretCreated?: ((secretId: string) => void) | undefined;
}

/** The options once checked, with their defaults. */
export interface ResolvedOptions {
	accessToken: string;
	secretId: string | undefined;
	organizationId: string | undefined;
	projectId: string | undefined;
	secretKey: string;
	client: BitwardenClientLike | undefined;
	apiUrl: string;
	identityUrl: string;
	timeoutMs: number;
	onSecretCreated: ((secretId: string) => void) | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `<version>.<client id>.<client secret>:<base64 key>`: checked by shape, never quoted. */
const ACCESS_TOKEN = /^\d+\.[0-9a-f-]{36}\.[^\s.:]+:[A-Za-z0-9+/]+={0,2}$/i;
/** The SDK's limit on a secret's name. */
const MAX_SECRET_KEY_LENGTH = 500;
/** Longer than a day is a mistake (a hung call would hold its secret's queue that long). */
const MAX_TIMEOUT_MS = 86_400_000;

/** Checks every option at once and names every problem in one error; never quotes the access token. */
export function resolveOptions(options: BitwardenSecretsManagerBackendOptions): ResolvedOptions {
	const given = (options ?? {}) as Partial<BitwardenSecretsManagerBackendOptions>;
	const problems: string[] = [];
	const { accessToken, secretId, organizationId, projectId, client, apiUrl, identityUrl } = given;
	const secretKey = given.secretKey ?? "o365-token";
	const timeoutMs = given.timeoutMs ?? 30_000;

	if (typeof accessToken !== "string" || accessToken === "") {
		problems.push(
			"accessToken is required: the machine account's access token, e.g. from process.env.BWS_ACCESS_TOKEN",
		);
	} else if (!ACCESS_TOKEN.test(accessToken)) {
		problems.push(
			"accessToken is not a Bitwarden access token (expected 0.<client id>.<client secret>:<key>); copy it again from the machine account's page",
		);
	}
	for (const [name, value] of [
		["secretId", secretId],
		["organizationId", organizationId],
		["projectId", projectId],
	] as const) {
		if (value !== undefined && (typeof value !== "string" || !UUID.test(value))) {
			problems.push(`${name} must be a UUID like "f1c5b7a0-…" as the web vault shows it`);
		}
	}
	if (secretId === undefined && organizationId === undefined) {
		problems.push(
			"give secretId (an existing secret), or organizationId so that the first save can create one",
		);
	}
	if (typeof secretKey !== "string" || secretKey.trim() === "" || secretKey.length > MAX_SECRET_KEY_LENGTH) {
		problems.push(`secretKey must be a name of 1 to ${MAX_SECRET_KEY_LENGTH} characters, not only spaces`);
	}
	if (
		typeof timeoutMs !== "number" ||
		!Number.isInteger(timeoutMs) ||
		timeoutMs <= 0 ||
		timeoutMs > MAX_TIMEOUT_MS
	) {
		problems.push("timeoutMs must be a whole number of milliseconds above 0 and at most a day, e.g. 30000");
	}
	if (client !== undefined) {
		if (
			typeof client !== "object" ||
			client === null ||
			typeof (client as BitwardenClientLike).secrets !== "function"
		) {
			problems.push("client must be a BitwardenClient from @bitwarden/sdk-napi");
		}
		if (apiUrl !== undefined || identityUrl !== undefined) {
			problems.push(
				"apiUrl and identityUrl apply only when the backend makes the client: set them on your client instead",
			);
		}
	}
	for (const [name, value] of [
		["apiUrl", apiUrl],
		["identityUrl", identityUrl],
	] as const) {
		if (value !== undefined && !isHttpUrl(value))
			problems.push(`${name} must be an http(s) URL, e.g. https://api.bitwarden.eu`);
	}
	if (given.onSecretCreated !== undefined && typeof given.onSecretCreated !== "function") {
		problems.push("onSecretCreated must be a function");
	}
	if (problems.length > 0) {
		throw new ConfigurationError(
			"backend_invalid_config",
			`BitwardenSecretsManagerBackend: ${problems.join("; ")}.`,
		);
	}
	return {
		accessToken: accessToken as string,
		secretId,
		organizationId,
		projectId,
		secretKey,
		client,
		apiUrl: apiUrl ?? "https://api.bitwarden.com",
		identityUrl: identityUrl ?? "https://identity.bitwarden.com",
		timeoutMs,
		onSecretCreated: given.onSecretCreated,
	};
}

function isHttpUrl(value: unknown): boolean {
	if (typeof value !== "string") return false;
	try {
		const url = new URL(value);
		return url.protocol === "https:" || url.protocol === "http:";
	} catch {
		return false;
	}
}
