/**
 * The directory users the fake Graph serves: given, generated, or mirrored from the identity platform.
 */
import { TestkitError } from "../errors.js";
import { seededUuid } from "../registry.js";
import type { FakeIdentityPlatform } from "../types.js";
import type { FakeGraphUser, FakeGraphUserInput } from "./types.js";

/** Users generated when neither a list nor an identity platform is given. */
const DEFAULT_GENERATED_USERS = 5;

/** A stable object id per user principal name, so generated directories look the same on every run. */
function userId(userPrincipalName: string): string {
	return seededUuid("fake-graph", `user:${userPrincipalName.toLowerCase()}`);
}

function resolveUser(input: FakeGraphUserInput): FakeGraphUser {
	if (!input.userPrincipalName) {
		throw new TestkitError("invalid_options", "A fake Graph user needs a userPrincipalName.");
	}
	const upn = input.userPrincipalName;
	return {
		id: input.id ?? userId(upn),
		displayName: input.displayName ?? upn.split("@")[0] ?? upn,
		userPrincipalName: upn,
		mail: input.mail === undefined ? upn : input.mail,
	};
}

function generatedUsers(count: number): FakeGraphUser[] {
	if (!Number.isInteger(count) || count < 0) {
		throw new TestkitError("invalid_options", `users must be a list or a whole number ≥ 0; got ${count}.`);
	}
	return Array.from({ length: count }, (_, index) =>
		resolveUser({ userPrincipalName: `user${index + 1}@contoso.test`, displayName: `User ${index + 1}` }),
	);
}

function fixedUsers(inputs: FakeGraphUserInput[]): FakeGraphUser[] {
	const users = inputs.map(resolveUser);
	const seen = new Set<string>();
	for (const user of users) {
		for (const key of [user.id.toLowerCase(), user.userPrincipalName.toLowerCase()]) {
			if (seen.has(key)) {
				throw new TestkitError(
					"invalid_options",
					`Fake Graph user ${key} is listed twice; ids and UPNs must be unique.`,
				);
			}
			seen.add(key);
		}
	}
	return users;
}

/** The users of a fake Graph; a view of the identity platform's users stays live. */
export class Directory {
	constructor(private readonly source: () => readonly FakeGraphUser[]) {}

	get users(): readonly FakeGraphUser[] {
		return this.source();
	}

	/** By object id or user principal name, in any case (as Graph resolves `/users/{id | userPrincipalName}`). */
	find(idOrUpn: string): FakeGraphUser | undefined {
		const wanted = idOrUpn.toLowerCase();
		return this.users.find(
			(user) => user.id.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted,
		);
	}
}

export function createDirectory(
	users: number | FakeGraphUserInput[] | undefined,
	identityPlatform: FakeIdentityPlatform | undefined,
): Directory {
	if (Array.isArray(users)) {
		const fixed = fixedUsers(users);
		return new Directory(() => fixed);
	}
	if (users === undefined && identityPlatform) {
		return new Directory(() =>
			identityPlatform.users.map((user) => ({
				id: user.oid,
				displayName: user.name,
				userPrincipalName: user.username,
				mail: user.username,
			})),
		);
	}
	const generated = generatedUsers(users ?? DEFAULT_GENERATED_USERS);
	return new Directory(() => generated);
}

/** Applies `$select` (comma-separated property names, any case) to an entity; all properties without it. */
export function select(entity: object, selection: string | undefined): Record<string, unknown> {
	const all = Object.entries(entity);
	if (selection === undefined || selection.trim() === "") return Object.fromEntries(all);
	const wanted = new Set(selection.split(",").map((name) => name.trim().toLowerCase()));
	return Object.fromEntries(all.filter(([name]) => wanted.has(name.toLowerCase())));
}
