import { describe, expect, it } from "vitest";
import { toCamelCase, toPascalCase, toSnakeCase } from "../src/utils/casing.js";

describe("toCamelCase", () => {
	it.each([
		["is_read", "isRead"],
		["message_all", "messageAll"],
		["received_date_time", "receivedDateTime"],
		["message-all", "messageAll"],
		["message.all", "messageAll"],
		["hello world", "helloWorld"],
		["IsRead", "isRead"],
		["isRead", "isRead"],
		["subject", "subject"],
		["", ""],
	])("turns %j into %j", (input, expected) => {
		expect(toCamelCase(input)).toBe(expected);
	});

	it("upper-cases only lower-case letters after a separator, as python-o365 does", () => {
		expect(toCamelCase("page_2")).toBe("page_2");
		expect(toCamelCase("a_B")).toBe("a_B");
	});
});

describe("toPascalCase", () => {
	it.each([
		["is_read", "IsRead"],
		["message_all", "MessageAll"],
		["isRead", "IsRead"],
		["", ""],
	])("turns %j into %j", (input, expected) => {
		expect(toPascalCase(input)).toBe(expected);
	});
});

describe("toSnakeCase", () => {
	it.each([
		["isRead", "is_read"],
		["IsRead", "is_read"],
		["receivedDateTime", "received_date_time"],
		["messageAll", "message_all"],
		["message_all", "message_all"],
		["message-all", "message_all"],
		["message.all", "message_all"],
		["hello world", "hello_world"],
		["HTTPServer", "h_t_t_p_server"],
		["", ""],
	])("turns %j into %j", (input, expected) => {
		expect(toSnakeCase(input)).toBe(expected);
	});

	it("round-trips snake_case identifiers through camelCase", () => {
		for (const key of ["is_read", "body_preview", "has_attachments", "created_date_time"]) {
			expect(toSnakeCase(toCamelCase(key))).toBe(key);
		}
	});
});
