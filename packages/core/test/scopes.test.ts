import { describe, expect, it } from "vitest";
import {
	ALL_SCOPE_HELPERS,
	DEFAULT_SCOPES,
	dedupeScopes,
	isReservedScope,
	prefixScope,
	RESERVED_SCOPES,
	resolveScopeHelper,
	resolveScopes,
} from "../src/protocol/scopes.js";
import { errorOf } from "./helpers/errors.js";

const GRAPH = "https://graph.microsoft.com/";

// The table of python-o365 2.1.9 (spec §1.2), in its order.
const PYTHON_HELPERS: Record<string, string[]> = {
	basic: ["User.Read"],
	mailbox: ["Mail.Read"],
	mailbox_shared: ["Mail.Read.Shared"],
	mailbox_settings: ["MailboxSettings.ReadWrite"],
	message_send: ["Mail.Send"],
	message_send_shared: ["Mail.Send.Shared"],
	message_all: ["Mail.ReadWrite", "Mail.Send"],
	message_all_shared: ["Mail.ReadWrite.Shared", "Mail.Send.Shared"],
	address_book: ["Contacts.Read"],
	address_book_shared: ["Contacts.Read.Shared"],
	address_book_all: ["Contacts.ReadWrite"],
	address_book_all_shared: ["Contacts.ReadWrite.Shared"],
	calendar: ["Calendars.Read"],
	calendar_shared: ["Calendars.Read.Shared"],
	calendar_all: ["Calendars.ReadWrite"],
	calendar_shared_all: ["Calendars.ReadWrite.Shared"],
	users: ["User.ReadBasic.All"],
	onedrive: ["Files.Read.All"],
	onedrive_all: ["Files.ReadWrite.All"],
	sharepoint: ["Sites.Read.All"],
	sharepoint_all: ["Sites.ReadWrite.All"],
	settings_all: ["MailboxSettings.ReadWrite"],
	tasks: ["Tasks.Read"],
	tasks_all: ["Tasks.ReadWrite"],
	presence: ["Presence.Read"],
};

describe("DEFAULT_SCOPES", () => {
	it("has python-o365's 25 helpers with the same snake_case names, scopes and order", () => {
		expect(DEFAULT_SCOPES).toEqual(PYTHON_HELPERS);
		expect(Object.keys(DEFAULT_SCOPES)).toEqual(Object.keys(PYTHON_HELPERS));
		expect(ALL_SCOPE_HELPERS).toHaveLength(25);
		expect(ALL_SCOPE_HELPERS).toEqual(Object.keys(PYTHON_HELPERS));
	});

	it("covers 24 distinct scopes and leaves offline_access to MSAL", () => {
		const all = new Set(Object.values(DEFAULT_SCOPES).flat());
		expect(all.size).toBe(24);
		expect(all.has("offline_access")).toBe(false);
	});

	it("cannot be modified", () => {
		expect(Object.isFrozen(DEFAULT_SCOPES)).toBe(true);
		expect(Object.isFrozen(DEFAULT_SCOPES.message_all)).toBe(true);
	});
});

describe("resolveScopeHelper", () => {
	it.each(Object.entries(PYTHON_HELPERS))("expands %s", (name, scopes) => {
		expect(resolveScopeHelper(name)).toEqual(scopes);
	});

	it("accepts the camelCase spelling of every helper", () => {
		expect(resolveScopeHelper("messageAll")).toEqual(["Mail.ReadWrite", "Mail.Send"]);
		expect(resolveScopeHelper("addressBookAllShared")).toEqual(["Contacts.ReadWrite.Shared"]);
		expect(resolveScopeHelper("calendarSharedAll")).toEqual(["Calendars.ReadWrite.Shared"]);
	});

	it("accepts sharepoint_dl, the name python-o365's docs use, as sharepoint_all", () => {
		expect(resolveScopeHelper("sharepoint_dl")).toEqual(["Sites.ReadWrite.All"]);
		expect(resolveScopeHelper("sharepointDl")).toEqual(["Sites.ReadWrite.All"]);
	});

	it("returns undefined for scopes and unknown names, including Object.prototype keys", () => {
		expect(resolveScopeHelper("Mail.Read")).toBeUndefined();
		expect(resolveScopeHelper("message_al")).toBeUndefined();
		expect(resolveScopeHelper("constructor")).toBeUndefined();
		expect(resolveScopeHelper("toString")).toBeUndefined();
		expect(resolveScopeHelper("hasOwnProperty")).toBeUndefined();
	});

	it("uses the table it is given", () => {
		expect(resolveScopeHelper("basic", {})).toBeUndefined();
		expect(resolveScopeHelper("ledger", { ledger: ["Financials.ReadWrite.All"] })).toEqual([
			"Financials.ReadWrite.All",
		]);
	});
});

describe("RESERVED_SCOPES", () => {
	it("holds the OpenID Connect scopes", () => {
		expect([...RESERVED_SCOPES].sort()).toEqual(["email", "offline_access", "openid", "profile"]);
	});

	it("matches in any letter case", () => {
		expect(isReservedScope("Offline_Access")).toBe(true);
		expect(isReservedScope("OPENID")).toBe(true);
		expect(isReservedScope("User.Read")).toBe(false);
	});
});

describe("prefixScope", () => {
	it("prefixes bare permission names", () => {
		expect(prefixScope("Mail.Read", GRAPH)).toBe(`${GRAPH}Mail.Read`);
		expect(prefixScope("User.ReadBasic.All", GRAPH)).toBe(`${GRAPH}User.ReadBasic.All`);
	});

	it("turns a bare .default into the protocol resource's .default", () => {
		expect(prefixScope(".default", GRAPH)).toBe("https://graph.microsoft.com/.default");
	});

	it.each(["openid", "profile", "offline_access", "email", "OFFLINE_ACCESS"])(
		"never prefixes the reserved scope %s (python-o365 did)",
		(scope) => {
			expect(prefixScope(scope, GRAPH)).toBe(scope);
		},
	);

	it("never prefixes a full URL scope of another resource (python-o365 did)", () => {
		expect(prefixScope("https://outlook.office.com/IMAP.AccessAsUser.All", GRAPH)).toBe(
			"https://outlook.office.com/IMAP.AccessAsUser.All",
		);
		expect(prefixScope("api://my-api/access_as_user", GRAPH)).toBe("api://my-api/access_as_user");
	});

	it("never prefixes another resource's .default", () => {
		expect(prefixScope("https://management.azure.com/.default", GRAPH)).toBe(
			"https://management.azure.com/.default",
		);
		expect(prefixScope("00000003-0000-0000-c000-000000000000/.default", GRAPH)).toBe(
			"00000003-0000-0000-c000-000000000000/.default",
		);
	});

	it("never prefixes twice", () => {
		expect(prefixScope(`${GRAPH}Mail.Read`, GRAPH)).toBe(`${GRAPH}Mail.Read`);
		expect(prefixScope("HTTPS://GRAPH.MICROSOFT.COM/Mail.Read", GRAPH)).toBe(
			"HTTPS://GRAPH.MICROSOFT.COM/Mail.Read",
		);
	});

	it("does nothing without a prefix, and trims whitespace", () => {
		expect(prefixScope("Mail.Read", "")).toBe("Mail.Read");
		expect(prefixScope("  Mail.Read ", GRAPH)).toBe(`${GRAPH}Mail.Read`);
	});
});

describe("dedupeScopes", () => {
	it("keeps the first spelling and order, ignoring letter case", () => {
		expect(dedupeScopes(["b", "A", "a", "B", "c"])).toEqual(["b", "A", "c"]);
	});
});

describe("resolveScopes", () => {
	const graph = { prefix: GRAPH };

	it("mixes helpers, bare permissions, full scopes and reserved scopes", () => {
		expect(
			resolveScopes(["basic", "Mail.Read", "https://graph.microsoft.com/User.Read", "offline_access"], graph),
		).toEqual([`${GRAPH}User.Read`, `${GRAPH}Mail.Read`, "offline_access"]);
	});

	it("treats a string as one entry", () => {
		expect(resolveScopes("message_all", graph)).toEqual([`${GRAPH}Mail.ReadWrite`, `${GRAPH}Mail.Send`]);
		expect(resolveScopes("Mail.Read", graph)).toEqual([`${GRAPH}Mail.Read`]);
	});

	it("keeps first-seen order, so the same input always gives the same list", () => {
		const input = ["presence", "message_all", "basic", "calendar", "Mail.Send", "users"];
		const expected = [
			`${GRAPH}Presence.Read`,
			`${GRAPH}Mail.ReadWrite`,
			`${GRAPH}Mail.Send`,
			`${GRAPH}User.Read`,
			`${GRAPH}Calendars.Read`,
			`${GRAPH}User.ReadBasic.All`,
		];
		for (let i = 0; i < 5; i++) {
			expect(resolveScopes(input, graph)).toEqual(expected);
		}
		expect(resolveScopes([...input].reverse(), graph)).toEqual([
			`${GRAPH}User.ReadBasic.All`,
			`${GRAPH}Mail.Send`,
			`${GRAPH}Calendars.Read`,
			`${GRAPH}User.Read`,
			`${GRAPH}Mail.ReadWrite`,
			`${GRAPH}Presence.Read`,
		]);
	});

	it("returns no duplicates, even across helpers, prefixes and letter case", () => {
		const scopes = resolveScopes(
			[
				"mailbox_settings",
				"settings_all",
				"message_all",
				"message_send",
				"Mail.Send",
				"mail.send",
				`${GRAPH}Mail.Send`,
				"basic",
				"User.Read",
				"offline_access",
				"OFFLINE_ACCESS",
			],
			graph,
		);
		expect(scopes).toEqual([
			`${GRAPH}MailboxSettings.ReadWrite`,
			`${GRAPH}Mail.ReadWrite`,
			`${GRAPH}Mail.Send`,
			`${GRAPH}User.Read`,
			"offline_access",
		]);
		expect(new Set(scopes.map((s) => s.toLowerCase())).size).toBe(scopes.length);
	});

	it("expands all 25 helpers to the 24 distinct scopes when asked explicitly", () => {
		const scopes = resolveScopes(ALL_SCOPE_HELPERS, graph);
		expect(scopes).toHaveLength(24);
		expect(scopes.every((s) => s.startsWith(GRAPH))).toBe(true);
	});

	it("passes unknown names through as scopes, as python-o365 does", () => {
		expect(resolveScopes(["Team.ReadBasic.All"], graph)).toEqual([`${GRAPH}Team.ReadBasic.All`]);
	});

	it.each([
		["nothing", undefined],
		["null", null],
		["an empty list", []],
		["an empty string", ""],
		["a blank string", "   "],
	])("rejects %s with invalid_scopes instead of requesting every helper", (_label, input) => {
		expect(errorOf(() => resolveScopes(input as never, graph)).code).toBe("invalid_scopes");
		expect(() => resolveScopes(input as never, graph)).toThrow(/name the permissions your app needs/);
	});

	it("rejects blank and non-string entries, naming the entry", () => {
		expect(errorOf(() => resolveScopes(["basic", ""], graph)).code).toBe("invalid_scopes");
		expect(() => resolveScopes(["basic", ""], graph)).toThrow(/entry #1 is empty/);
		expect(() => resolveScopes(["basic", 42 as never], graph)).toThrow(/entry #1 is a number/);
	});

	it("rejects a value that is neither a string nor a list", () => {
		expect(errorOf(() => resolveScopes({ basic: true } as never, graph)).code).toBe("invalid_scopes");
		expect(() => resolveScopes(new Set(["basic"]) as never, graph)).toThrow(/string or an array of strings/);
	});

	it("defaults to python-o365's helpers and no prefix", () => {
		expect(resolveScopes(["basic", "Mail.Read"])).toEqual(["User.Read", "Mail.Read"]);
	});
});
