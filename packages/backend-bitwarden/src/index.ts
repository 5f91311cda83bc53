export type { BitwardenSecretsManagerBackendOptions } from "./backend-options.js";
export type { BitwardenClientLike, BitwardenSecret } from "./bitwarden-client.js";
export { BitwardenSecretsManagerBackend } from "./bitwarden-secrets-manager-backend.js";
