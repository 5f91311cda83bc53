export { AWSSecretsBackend, type AWSSecretsBackendOptions, MAX_SECRET_BYTES } from "./aws-secrets-backend.js";
