import { ConfigurationError } from "@o365/core";

/** The columns of the `O365Token` model (schema.prisma) the backend reads and writes. */
export interface TokenRow {
	id: string;
	value: string | null;
	version: number;
	leaseOwner: string | null;
	leaseExpiresAt: Date | null;
}

type Where = Record<string, unknown>;
type Data = Record<string, unknown>;

/**
 * The part of a generated Prisma model delegate (`prisma.o365Token`) the backend calls. Typed here,
 * not imported, so that the package needs no `@prisma/client` at run time and works with any
 * generator output folder.
 */
export interface TokenDelegate {
	findUnique(args: {
		where: { id: string };
		select: Partial<Record<keyof TokenRow, true>>;
	}): Promise<Partial<TokenRow> | null>;
	count(args: { where: Where }): Promise<number>;
	create(args: { data: Data; select: { id: true } }): Promise<unknown>;
	updateMany(args: { where: Where; data: Data }): Promise<{ count: number }>;
	deleteMany(args: { where: Where }): Promise<{ count: number }>;
	upsert(args: { where: { id: string }; create: Data; update: Data; select: { id: true } }): Promise<unknown>;
}

const DELEGATE_METHODS = ["findUnique", "count", "create", "updateMany", "deleteMany", "upsert"] as const;

/** The longest key: MySQL indexes at most 191 utf8mb4 characters of the `id` column. */
export const MAX_KEY_LENGTH = 191;

const SCHEMA_HINT =
	"add the O365Token model from @o365/backend-prisma/schema.prisma to your schema and run prisma generate";

/**
 * Finds the model delegate on the user's client and checks the options once, at construction,
 * naming what is wrong and how to fix it.
 */
export function resolveTokenDelegate(prisma: unknown, model: unknown, key: unknown): TokenDelegate {
	if (prisma === null || prisma === undefined) {
		throw invalid(
			"the `prisma` option is missing: pass your PrismaClient, e.g. new PrismaTokenBackend({ prisma: new PrismaClient({ adapter }) }).",
		);
	}
	if (typeof prisma !== "object") {
		throw invalid(
			typeof prisma === "function"
				? "`prisma` is the PrismaClient class; pass an instance: new PrismaClient({ adapter })."
				: `\`prisma\` must be your PrismaClient instance, not a ${typeof prisma}.`,
		);
	}
	if (typeof model !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(model)) {
		throw invalid(
			'`model` must be the name of a model delegate on your client, such as "o365Token" (the default).',
		);
	}
	if (typeof key !== "string" || key === "") {
		throw invalid(
			'`key` must be a non-empty string naming the token location, e.g. "default" or the user\'s home account id.',
		);
	}
	if (key.length > MAX_KEY_LENGTH) {
		throw invalid(
			`\`key\` is ${key.length} characters long; at most ${MAX_KEY_LENGTH} fit the id column. Use a shorter id (a user's home account id is 73).`,
		);
	}
	const delegate = (prisma as Record<string, unknown>)[model];
	if (delegate === null || typeof delegate !== "object") {
		throw invalid(
			`your PrismaClient has no \`${model}\` model: ${SCHEMA_HINT}` +
				(model === "o365Token" ? "." : ` (or pass the \`model\` option your delegate is named after).`),
		);
	}
	const missing = DELEGATE_METHODS.filter(
		(method) => typeof (delegate as Record<string, unknown>)[method] !== "function",
	);
	if (missing.length > 0) {
		throw invalid(
			`prisma.${model} is not a Prisma model delegate (it lacks ${missing.join(", ")}): ${SCHEMA_HINT}.`,
		);
	}
	return delegate as TokenDelegate;
}

function invalid(message: string): ConfigurationError {
	return new ConfigurationError("backend_invalid_config", `[o365:prisma] ${message}`);
}

/** Whether a Prisma error is a unique-constraint violation (the row was created meanwhile). */
export function isUniqueViolation(error: unknown): boolean {
	return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
