import { MemoryTokenBackend, MemoryTokenStore } from "@o365/core";
import { describe, expect, it } from "vitest";
import { createSuiteContext, SUITE_GROUPS, testTokenBackend } from "../src/index.js";

const store = new MemoryTokenStore();
const create = () => new MemoryTokenBackend({ store });
const skipped = Object.fromEntries(
	SUITE_GROUPS.filter((group) => group !== "deleteAndCheck").map((group) => [
		group,
		"covered by memory.test.ts",
	]),
);

testTokenBackend({ name: "memory, all but deleteAndCheck skipped", create, skip: skipped });

describe("testTokenBackend options", () => {
	it("registers each skipped group as describe.skip with the reason in its title", ({ task }) => {
		const suite = task.file.tasks.find(
			(t) => t.name === "TokenBackend conformance: memory, all but deleteAndCheck skipped",
		);
		const groups = suite?.type === "suite" ? suite.tasks.map((t) => [t.name, t.mode]) : [];
		expect(groups).toContainEqual(["roundTrip (skipped: covered by memory.test.ts)", "skip"]);
		expect(groups).toContainEqual(["lease (skipped: covered by memory.test.ts)", "skip"]);
		expect(groups).toContainEqual(["deleteAndCheck", "run"]);
		expect(groups).toHaveLength(SUITE_GROUPS.length);
	});

	it("refuses a skip without a reason, or of an unknown group", () => {
		expect(() => createSuiteContext({ name: "x", create, skip: { lease: " " } })).toThrow(/needs the reason/);
		expect(() =>
			createSuiteContext({ name: "x", create, skip: { leases: "typo" } as Record<string, string> }),
		).toThrow(/unknown group "leases"/);
		expect(() => createSuiteContext({ name: "", create })).toThrow(/non-empty `name`/);
	});
});
