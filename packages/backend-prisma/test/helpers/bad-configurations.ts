import type { BadConfiguration } from "@o365/backend-test-suite";
import { PrismaTokenBackend, type PrismaTokenBackendOptions } from "../../src/index.js";

/** Wrong options the conformance suite checks are refused with backend_invalid_config. */
export function badConfigurations(prisma: () => object): BadConfiguration[] {
	const build = (options: Partial<PrismaTokenBackendOptions>) => () =>
		new PrismaTokenBackend(options as PrismaTokenBackendOptions);
	return [
		{ name: "no prisma client", build: build({}) },
		{ name: "a client without the model", build: () => build({ prisma: prisma(), model: "missingModel" })() },
		{ name: "an empty key", build: () => build({ prisma: prisma(), key: "" })() },
	];
}
