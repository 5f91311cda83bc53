import { EnvTokenBackend } from "@o365/core";
import { testTokenBackend } from "../src/index.js";

// A plain object stands in for process.env; the env backend has no compare-and-set and no lease.
const env: NodeJS.ProcessEnv = {};

testTokenBackend({
	name: "env",
	create: () => new EnvTokenBackend({ env, tokenEnvName: "O365_SUITE_TOKEN" }),
	badConfigurations: [
		{
			name: "a tokenEnvName with a dash",
			build: () => new EnvTokenBackend({ env, tokenEnvName: "O365-TOKEN" }),
		},
		{ name: "an empty tokenEnvName", build: () => new EnvTokenBackend({ env, tokenEnvName: "" }) },
	],
});

// The same contract when the value is kept out of the environment children inherit.
const privateEnv: NodeJS.ProcessEnv = {};

testTokenBackend({
	name: "env (inheritable: false)",
	create: () =>
		new EnvTokenBackend({ env: privateEnv, tokenEnvName: "O365_SUITE_TOKEN", inheritable: false }),
	badConfigurations: [
		{
			name: "an inheritable that is not a boolean",
			build: () => new EnvTokenBackend({ env: privateEnv, inheritable: "false" as unknown as boolean }),
		},
	],
});
