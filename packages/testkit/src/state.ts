/**
 * Everything one running fake knows, shared by its route handlers.
 */
import { CodeStore } from "./codes.js";
import { DeviceCodeStore } from "./device-codes.js";
import { FaultQueue } from "./faults.js";
import { Recorder } from "./recorder.js";
import { RefreshTokenStore } from "./refresh-tokens.js";
import { Registry } from "./registry.js";
import type { SigningKey } from "./signing-key.js";
import type { FakeSettings } from "./types.js";

/** Tenant path segments that are not a tenant but an audience of accounts. */
export const MULTI_TENANT_SEGMENTS: ReadonlySet<string> = new Set(["common", "organizations", "consumers"]);

export interface ServerState {
	readonly tenantId: string;
	readonly authorityHost: string;
	/** `http://127.0.0.1:<port>`, known once the server listens. */
	origin: string;
	readonly settings: FakeSettings;
	readonly registry: Registry;
	readonly codes: CodeStore;
	readonly deviceCodes: DeviceCodeStore;
	readonly refreshTokens: RefreshTokenStore;
	readonly recorder: Recorder;
	readonly faults: FaultQueue;
	readonly signingKey: SigningKey;
	/** `jti`s of client assertions already accepted (for `rejectAssertionReplay`). */
	readonly seenAssertionIds: Set<string>;
}

export function createState(init: {
	tenantId: string;
	authorityHost: string;
	seed: string | undefined;
	settings: FakeSettings;
	signingKey: SigningKey;
}): ServerState {
	return {
		tenantId: init.tenantId,
		authorityHost: init.authorityHost,
		origin: "",
		settings: init.settings,
		registry: new Registry(init.tenantId, init.seed),
		codes: new CodeStore(),
		deviceCodes: new DeviceCodeStore(),
		refreshTokens: new RefreshTokenStore(init.seed),
		recorder: new Recorder(),
		faults: new FaultQueue(),
		signingKey: init.signingKey,
		seenAssertionIds: new Set(),
	};
}

/** Token issuer of a tenant, as Entra v2.0 writes it (on the https authority host, never on the local origin). */
export function issuerOf(state: ServerState, tenantId: string): string {
	return `https://${state.authorityHost}/${tenantId}/v2.0`;
}

/**
 * The tenant a request is about: a GUID path segment as given, otherwise (common, organizations, a domain name)
 * the fake's own tenant.
 */
export function resolveTenant(state: ServerState, segment: string): string {
	const lower = segment.toLowerCase();
	if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(lower)) return lower;
	return state.tenantId;
}
