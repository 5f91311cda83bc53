// The public surface of @o365/graph-sdk-auth. This file only re-exports. The providers are at
// their subpaths, "@o365/graph-sdk-auth/graph-client" and "@o365/graph-sdk-auth/kiota", so that
// each loads (and type-references) only its own SDK; the root has their option types.

export type { GraphClientAuthProviderOptions, KiotaAccessTokenProviderOptions } from "./options.js";
