// The public surface of @o365/core. This file only re-exports.

export {
	Account,
	type AccountOptions,
	type AuthenticateOptions,
	type ProtocolClass,
	type SignInMethod,
} from "./account.js";
export type { AuthorizationFlow, RedirectResponse } from "./auth/authorization-flow.js";
export type { BrowserOpener } from "./auth/browser-opener.js";
export { type ConsentHandler, type ConsoleConsentOptions, consoleConsent } from "./auth/console-consent.js";
export type { AuthFlowType, CertificateCredential, Credentials } from "./auth/credentials.js";
export type { DeviceCodeInfo } from "./auth/device-code.js";
export type { NetworkClient } from "./auth/msal-client.js";
export type {
	AbortSignalLike,
	AccessToken,
	GetTokenOptions,
	TokenCredential,
} from "./auth/token-credential.js";
export type { AccessTokenInfo, AccessTokenOptions } from "./auth/token-manager.js";
export * from "./backend/aes-gcm-cryptography-manager.js";
export { assertTokenBackend } from "./backend/assert-token-backend.js";
export { BaseTokenBackend, type BaseTokenBackendOptions } from "./backend/base-token-backend.js";
export type { CacheDocument, CachedAccount, CachedCredential } from "./backend/cache-json.js";
export { EnvTokenBackend, type EnvTokenBackendOptions } from "./backend/env-token-backend.js";
export {
	MemoryTokenBackend,
	type MemoryTokenBackendOptions,
	MemoryTokenStore,
} from "./backend/memory-token-backend.js";
export { type LeasePauses, pollForLease } from "./backend/poll-for-lease.js";
export { type PollUntilOptions, pollUntil } from "./backend/poll-until.js";
export type {
	CryptographyManager,
	LeaseOptions,
	RefreshingConnection,
	StorageCallOptions,
	TokenBackend,
	TokenLease,
	TokenStorage,
	UsernameOption,
	VersionedValue,
} from "./backend/token-backend.js";
export { Connection } from "./connection.js";
export type {
	AuthorizationUrlOptions,
	ConnectionOptions,
	RequestTokenOptions,
} from "./connection-options.js";
export * from "./errors.js";
export type { BatchOptions, BatchRequest, BatchResponse } from "./http/batch.js";
export type { RequestBody } from "./http/body.js";
export type { HeaderInput } from "./http/headers.js";
export type { HttpOptions, HttpRequestInfo, RequestOptions } from "./http/options.js";
export { PageIterator, type PaginateOptions } from "./http/pagination.js";
export { parseRetryAfter } from "./http/retry-after.js";
export { SDK_VERSION } from "./http/user-agent.js";
export { consoleLogger, type LogDetails, type Logger, type LogLevel } from "./logging/logger.js";
export {
	BUSINESS_CENTRAL_HOST,
	MSBusinessCentral365Protocol,
	type MSBusinessCentral365ProtocolOptions,
} from "./protocol/business-central-protocol.js";
export { CLOUD_NAMES, CLOUDS, type Cloud, type CloudName, getCloud } from "./protocol/clouds.js";
export {
	GRAPH_API_VERSION,
	type GraphApiVersion,
	MSGraphProtocol,
	type MSGraphProtocolOptions,
} from "./protocol/ms-graph-protocol.js";
export { Protocol, type ProtocolOptions } from "./protocol/protocol.js";
export {
	GROUPS_RESOURCE,
	ME_RESOURCE,
	parseResource,
	SITES_RESOURCE,
	USERS_RESOURCE,
} from "./protocol/resource.js";
export {
	ALL_SCOPE_HELPERS,
	DEFAULT_SCOPES,
	RESERVED_SCOPES,
	type ScopeHelperName,
} from "./protocol/scopes.js";
export { getIanaTimezone, getWindowsTimezone } from "./protocol/timezones.js";
export { toCamelCase, toPascalCase, toSnakeCase } from "./utils/casing.js";
export { rememberSecret } from "./utils/known-secrets.js";
