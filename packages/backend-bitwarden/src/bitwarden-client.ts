import { TokenBackendError } from "@o365/core";

/** A secret as the Bitwarden SDK returns it (key, value and note already decrypted). */
export interface BitwardenSecret {
	id: string;
	organizationId: string;
	projectId?: string | null;
	key: string;
	value: string;
	note: string;
	revisionDate: Date | string;
}

/**
 * The part of `@bitwarden/sdk-napi`'s `BitwardenClient` this backend uses. Declared here, not
 * imported, so the package's types do not require the optional SDK to be installed.
 */
export interface BitwardenClientLike {
	auth(): { loginAccessToken(accessToken: string, stateFile?: string): Promise<void> };
	secrets(): {
		get(id: string): Promise<BitwardenSecret>;
		create(
			organizationId: string,
			key: string,
			value: string,
			note: string,
			projectIds: string[],
		): Promise<BitwardenSecret>;
		update(
			organizationId: string,
			id: string,
			key: string,
			value: string,
			note: string,
			projectIds: string[],
		): Promise<BitwardenSecret>;
	};
}

/** The SDK's log level "Error": it never logs requests or credentials at this level. */
const SDK_LOG_LEVEL_ERROR = 4;

/** Loads `@bitwarden/sdk-napi` (only on first use: no native code is loaded by `new`) and makes a client. */
export async function createBitwardenClient(
	backend: string,
	settings: { apiUrl: string; identityUrl: string },
): Promise<BitwardenClientLike> {
	let sdk: { BitwardenClient: new (settings: object, logLevel: number) => BitwardenClientLike };
	try {
		sdk = (await import("@bitwarden/sdk-napi")) as unknown as typeof sdk;
	} catch (error) {
		throw new TokenBackendError(
			backend,
			"backend_invalid_config",
			"@bitwarden/sdk-napi could not be loaded: install it (npm install @bitwarden/sdk-napi@1.0.0) or pass your own client.",
			{ cause: error },
		);
	}
	return new sdk.BitwardenClient({ ...settings, deviceType: "SDK" }, SDK_LOG_LEVEL_ERROR);
}
