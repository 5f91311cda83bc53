/**
 * Builds the `Account` of a profile: public client, the profile's token file, its cloud or its
 * own identity platform and Graph endpoints, and the redacted request log with `--verbose`.
 */

import {
	Account,
	type AccountOptions,
	AuthenticationError,
	consoleLogger,
	type GraphApiVersion,
	MSGraphProtocol,
	O365Error,
} from "@o365/core";
import { appFlag, type Settings } from "./settings.js";
import type { TokenStore } from "./token-store.js";

export interface SessionOptions {
	apiVersion?: GraphApiVersion;
	signal?: AbortSignal;
}

export const DEFAULT_TENANT = "common";

export async function openAccount(
	settings: Settings,
	store: TokenStore,
	options: SessionOptions = {},
): Promise<Account> {
	const { profile } = settings;
	if (profile.clientId === undefined) {
		throw new AuthenticationError(
			"sign_in_required",
			`profile '${settings.profileName}' has not signed in; run \`o365 login --client-id <app id> --tenant <tenant id>${appFlag(settings)}\``,
		);
	}
	const tenantId = profile.tenantId ?? DEFAULT_TENANT;
	const protocol = new MSGraphProtocol({
		...(profile.cloud === undefined ? {} : { cloud: profile.cloud }),
		...(profile.graphUrl === undefined ? {} : { protocolUrl: profile.graphUrl }),
		apiVersion: options.apiVersion ?? "v1.0",
	});
	const accountOptions: AccountOptions = {
		authFlowType: "public",
		tenantId,
		tokenBackend: store.backend,
		protocol,
		...(profile.cloud === undefined ? {} : { cloud: profile.cloud }),
		...(await authorityOptions(profile.authorityHost, tenantId, options.signal)),
		...(settings.verbose ? { logger: consoleLogger("debug") } : {}),
	};
	return new Account(profile.clientId, accountOptions);
}

/**
 * An https host is trusted as given (msal-node reads its discovery document). msal-node only takes
 * https authorities, so for an http one on loopback (a local test identity platform) we read the
 * discovery document ourselves and hand msal its endpoints under the https name the server reports.
 */
async function authorityOptions(
	authorityHost: string | undefined,
	tenantId: string,
	signal: AbortSignal | undefined,
): Promise<Partial<AccountOptions>> {
	if (authorityHost === undefined) return {};
	const url = new URL(authorityHost);
	const base = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
	if (url.protocol === "https:") return { authority: `${base}/${tenantId}`, knownAuthorities: [url.host] };
	const discovery = `${base}/${encodeURIComponent(tenantId)}/v2.0/.well-known/openid-configuration`;
	let document: Record<string, unknown>;
	try {
		const timeout = AbortSignal.timeout(10_000);
		const response = await fetch(discovery, {
			signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
		});
		if (!response.ok) throw new Error(`status ${response.status}`);
		document = (await response.json()) as Record<string, unknown>;
	} catch (error) {
		if (signal?.aborted) throw error;
		throw new O365Error(
			"network_error",
			`could not read the identity platform's discovery document at ${discovery}; check --authority-host`,
			{ cause: error },
		);
	}
	const issuerHost =
		typeof document.issuer === "string" && URL.canParse(document.issuer)
			? new URL(document.issuer).host
			: undefined;
	const host = typeof document.cloud_instance_name === "string" ? document.cloud_instance_name : issuerHost;
	if (host === undefined) {
		throw new O365Error(
			"network_error",
			`the discovery document at ${discovery} names no issuer; check --authority-host`,
		);
	}
	return {
		authority: `https://${host}/${tenantId}`,
		knownAuthorities: [host],
		authorityMetadata: JSON.stringify(document),
	};
}
