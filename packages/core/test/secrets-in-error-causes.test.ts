import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import {
	type CacheDocument,
	MemoryTokenBackend,
	O365Error,
	rememberSecret,
	TokenBackendError,
} from "@o365/core";
import { describe, expect, it } from "vitest";

const NOW = Math.floor(Date.now() / 1000);
const HOME = "oid-adele.tid-1";

/** A random opaque secret (not a JWT: pattern redaction cannot catch it). */
const secret = (label: string) => `${label}-${randomBytes(24).toString("base64url")}`;

function cacheWithTokens() {
	const tokens = { access: secret("at"), refresh: secret("rt"), id: secret("idt") };
	const credential = (type: string, value: string, extra: Record<string, string> = {}) => ({
		home_account_id: HOME,
		environment: "login.idp.test",
		credential_type: type,
		client_id: "app",
		secret: value,
		...extra,
	});
	const cache: CacheDocument = {
		Account: {
			[`${HOME}-login.idp.test-tid-1`]: {
				home_account_id: HOME,
				environment: "login.idp.test",
				realm: "tid-1",
				local_account_id: "oid-adele",
				username: "adele@contoso.test",
				authority_type: "MSSTS",
			},
		},
		IdToken: { i: credential("IdToken", tokens.id, { realm: "tid-1" }) },
		AccessToken: {
			a: credential("AccessToken", tokens.access, { target: "User.Read", expires_on: String(NOW + 3600) }),
		},
		RefreshToken: { r: credential("RefreshToken", tokens.refresh) },
		AppMetadata: {},
	};
	return { cache, tokens };
}

/**
 * A fake of `PrismaClientValidationError` after a schema drift (the column was renamed): Prisma
 * prints the whole call, value included, before its reason; the driver also keeps the arguments
 * in `meta` and a lower error as `cause`.
 */
class PrismaClientValidationError extends Error {
	override name = "PrismaClientValidationError";
	readonly clientVersion = "7.1.0";
	readonly meta: Record<string, unknown>;

	constructor(value: string) {
		const quoted = JSON.stringify(value);
		super(
			`\nInvalid \`prisma.o365Token.updateMany()\` invocation in\n/srv/app/node_modules/@o365/backend-prisma/dist/prisma-token-backend.js:88:31\n\n  85   });\n  86 }\n  87\n→ 88 const result = await rows.updateMany({\n        where: { id: "default", version: 3 },\n        data: {\n          valu: ${quoted},\n          ~~~~\n          version: 4,\n      ?   value?: String | NullableStringFieldUpdateOperationsInput | Null\n        }\n      })\n\nUnknown argument \`valu\`. Did you mean \`value\`? Available options are marked with ?.`,
			{ cause: new Error(`driver rejected arguments ${quoted}`) },
		);
		this.meta = { arguments: { data: { valu: value } }, modelName: "O365Token" };
	}
}

/** Every message in the chain, the inspect output with hidden fields, and the JSON. */
function everythingIn(error: unknown): string {
	const parts = [
		inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
		JSON.stringify(error),
	];
	const seen = new Set<unknown>();
	for (
		let current: unknown = error;
		current instanceof Error && !seen.has(current);
		current = current.cause
	) {
		seen.add(current);
		parts.push(current.message, current.stack ?? "", JSON.stringify(current), ...Object.keys(current));
		for (const key of Reflect.ownKeys(current)) {
			const value = (current as unknown as Record<PropertyKey, unknown>)[key];
			parts.push(typeof value === "string" ? value : inspect(value, { depth: Number.POSITIVE_INFINITY }));
		}
	}
	return parts.join("\n");
}

describe("secrets in error causes", () => {
	it("a driver error that echoes the value keeps its reason and loses every token", async () => {
		const { cache, tokens } = cacheWithTokens();
		const backend = new MemoryTokenBackend();
		backend.write = async (value) => {
			throw new PrismaClientValidationError(value);
		};
		backend.deserialize(JSON.stringify(cache), { changed: true });
		const error = await backend.saveToken().catch((e: unknown) => e);

		expect(error).toBeInstanceOf(TokenBackendError);
		expect(error).toMatchObject({ code: "backend_io" });
		const text = everythingIn(error);
		for (const token of Object.values(tokens)) expect(text).not.toContain(token);
		// The reason survives, in the message and in the cause, whose class name and fields are kept.
		expect((error as Error).message).toContain("Unknown argument `valu`. Did you mean `value`?");
		const cause = (error as Error).cause as Error & { clientVersion?: string };
		expect(cause.name).toBe("PrismaClientValidationError");
		expect(cause.message).toContain("Unknown argument `valu`");
		expect(cause.clientVersion).toBe("7.1.0");
		expect(inspect(error)).toContain("PrismaClientValidationError");
		expect((cause.cause as Error).message).toContain("driver rejected arguments");
	});

	it("any O365Error sanitizes the cause it is given: message, fields, nested causes and errors", () => {
		const held = secret("held"); // a token the library holds: redacted wherever it is echoed
		rememberSecret(held);
		const unknown = secret("opaque"); // unknown to the library: only where no field may keep it
		const nested = Object.assign(new Error(`socket said ${held}`), { code: "ECONNRESET", errno: -104 });
		const aggregate = new AggregateError([new Error(`first ${held}`)], "several failed", { cause: nested });
		const driver = Object.assign(new Error(`Authorization: Bearer ${unknown}`), {
			code: "P2000",
			request: { headers: { authorization: `Bearer ${unknown}` } },
			value: unknown,
			cause: aggregate,
		});
		const error = new O365Error("backend_io", "could not save", { cause: driver });
		const text = everythingIn(error);
		expect(text).not.toContain(held);
		expect(text).not.toContain(unknown);
		const cause = error.cause as Error & { code?: string; request?: unknown; value?: unknown };
		expect(cause.code).toBe("P2000");
		expect(cause.request).toBeUndefined();
		expect(cause.value).toBeUndefined();
		const chained = cause.cause as AggregateError;
		expect(chained.name).toBe("AggregateError");
		expect(chained.errors).toHaveLength(1);
		expect((chained.cause as { code?: string; errno?: number }).code).toBe("ECONNRESET");
		expect((chained.cause as { errno?: number }).errno).toBe(-104);
	});

	it("a non-Error cause and a cyclic chain are sanitized too, without hanging", () => {
		const token = secret("plain");
		const plain = new O365Error("backend_io", "x", { cause: { token, note: `value ${token}` } });
		expect(everythingIn(plain)).not.toContain(token);
		const stringCause = new O365Error("backend_io", "x", { cause: `password=${token}` });
		expect(everythingIn(stringCause)).not.toContain(token);
		const loop = new Error(`loop client_secret=${token}`);
		loop.cause = loop;
		expect(everythingIn(new O365Error("backend_io", "x", { cause: loop }))).not.toContain(token);
	});
});
