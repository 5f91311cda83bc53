import { assertTokenBackend, ConfigurationError } from "@o365/core";
import { describe, expect, it } from "vitest";
import { PrismaTokenBackend, type PrismaTokenBackendOptions } from "../src/index.js";

/** Just enough of a generated delegate for construction (nothing is called). */
const delegate = { findUnique() {}, count() {}, create() {}, updateMany() {}, deleteMany() {}, upsert() {} };

function configurationError(options: unknown): ConfigurationError {
	try {
		new PrismaTokenBackend(options as PrismaTokenBackendOptions);
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigurationError);
		expect(error).toMatchObject({ code: "backend_invalid_config" });
		return error as ConfigurationError;
	}
	throw new Error("the backend was built");
}

describe("PrismaTokenBackend options", () => {
	it("needs a prisma client, and says how to pass one", () => {
		expect(configurationError({}).message).toContain("pass your PrismaClient");
		expect(configurationError(undefined).message).toContain("pass your PrismaClient");
		expect(configurationError({ prisma: "postgresql://x" }).message).toContain("not a string");
	});

	it("refuses the PrismaClient class in place of an instance", () => {
		class PrismaClient {}
		expect(configurationError({ prisma: PrismaClient }).message).toContain("pass an instance");
	});

	it("names the schema fix when the client has no O365Token model", () => {
		const error = configurationError({ prisma: { user: delegate } });
		expect(error.message).toContain(
			"add the O365Token model from @o365/backend-prisma/schema.prisma to your schema and run prisma generate",
		);
		expect(configurationError({ prisma: { user: delegate }, model: "oAuthToken" }).message).toContain(
			"`model` option",
		);
	});

	it("names the delegate methods a look-alike lacks", () => {
		const error = configurationError({ prisma: { o365Token: { findUnique() {} } } });
		expect(error.message).toContain("lacks count, create, updateMany, deleteMany, upsert");
	});

	it("refuses an empty, overlong or non-string key, and a model name that is no identifier", () => {
		const prisma = { o365Token: delegate };
		expect(configurationError({ prisma, key: "" }).message).toContain("non-empty string");
		expect(configurationError({ prisma, key: 42 }).message).toContain("non-empty string");
		expect(configurationError({ prisma, key: "x".repeat(192) }).message).toContain("at most 191");
		expect(configurationError({ prisma, model: "o365Token; DROP" }).message).toContain("model delegate");
	});

	it('builds with defaults: key "default", model o365Token, and passes core\'s contract check', () => {
		const backend = new PrismaTokenBackend({ prisma: { o365Token: delegate } });
		expect(backend).toMatchObject({ name: "prisma", key: "default", model: "o365Token" });
		expect(String(backend)).toBe('prisma.o365Token["default"]');
		expect(() => assertTokenBackend(backend)).not.toThrow();
		const custom = new PrismaTokenBackend({ prisma: { tokens: delegate }, model: "tokens", key: "tenant-1" });
		expect(String(custom)).toBe('prisma.tokens["tenant-1"]');
	});
});
