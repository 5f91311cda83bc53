export type { DeviceLoginOptions, FakeBrowser, SignInOptions } from "./browser.js";
export { createTestCertificate, type TestCertificate, type TestCertificateOptions } from "./certificate.js";
export {
	clearEgressViolations,
	type EgressViolation,
	egressViolations,
	installEgressGuard,
	uninstallEgressGuard,
} from "./egress-guard.js";
export { TestkitError, type TestkitErrorCode } from "./errors.js";
export { startFakeGraph } from "./graph/server.js";
export type {
	BatchStepThrottle,
	FakeGraph,
	FakeGraphOptions,
	FakeGraphUser,
	FakeGraphUserInput,
	GraphFault,
	RecordedGraphRequest,
} from "./graph/types.js";
export { type NodeRun, type RunNodeOptions, runNode, runTypeScript } from "./run-node.js";
export { startFakeIdentityPlatform } from "./server.js";
export type {
	AccessTokenClaims,
	FakeCertificateCredential,
	FakeClientRegistration,
	FakeIdentityPlatform,
	FakeIdentityPlatformOptions,
	FakeMsalConfig,
	FakeSettings,
	FakeUser,
	FakeUserInput,
	InjectedFault,
	OmittableField,
	PendingDeviceCode,
	RecordedRequest,
} from "./types.js";
