export { cancelOnCtrlC } from "./cancel-on-ctrl-c.js";
export { type Demo, startDemo } from "./demo.js";
export { type AuthorityConfig, type ExampleEnv, readExampleEnv, requireEnv } from "./env.js";
export { runMain } from "./run-main.js";
export {
	DEMO_APP,
	DEMO_TENANT_ID,
	DEMO_USER,
	type StartTestKitOptions,
	startTestKit,
	type TestKit,
	testKitEnv,
} from "./test-kit.js";
export { type GraphUser, printSignedInUser, showUserWithBackend, signInUser, USER_SCOPES } from "./user.js";
