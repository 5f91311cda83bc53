// Runs once before the test files: starts a throwaway moto server (.ci/moto) unless
// O365_TEST_MOTO_ENDPOINT names one already. Never skips: without moto the run fails, naming it.
import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { MOTO_SCRIPT, startMoto } from "./helpers/moto.js";

declare module "vitest" {
	export interface ProvidedContext {
		/** The moto server the tests talk to (each test file uses its own secret names). */
		motoEndpoint: string;
	}
}

export default function setup(project: TestProject): () => void {
	const given = process.env.O365_TEST_MOTO_ENDPOINT;
	if (given !== undefined && given !== "") {
		project.provide("motoEndpoint", given);
		return () => {};
	}
	const moto = startMoto();
	project.provide("motoEndpoint", moto.endpoint);
	return () => {
		execFileSync(MOTO_SCRIPT, ["stop", moto.dir], { stdio: "ignore" });
	};
}
