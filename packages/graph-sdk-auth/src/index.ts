// The public surface of @o365/graph-sdk-auth. This file only re-exports. The Kiota provider
// (which loads @microsoft/kiota-abstractions) is only at "@o365/graph-sdk-auth/kiota".

export { GraphClientAuthProvider, type GraphClientAuthProviderOptions } from "./graph-client.js";
export type { KiotaAccessTokenProvider, KiotaAccessTokenProviderOptions } from "./kiota.js";
