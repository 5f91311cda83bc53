/**
 * Key casing helpers, ported from python-o365's `O365/utils/casing.py`. Protocols use them to turn
 * the snake_case names of python-o365 (`is_read`) into the casing an API expects (`isRead` for
 * Microsoft Graph) and back.
 *
 * One deliberate difference: python's `to_camel_case`/`to_pascal_case` first delete every
 * "word character, run of spaces or punctuation, word character" triple, so `"hello world"`
 * becomes `"hellorld"`. That is a bug nobody can rely on; here such a run is a word separator.
 * For identifiers (`message_all`, `is_read`) both give the same result.
 */

/**
 * `is_read` → `isRead`; `message-all` → `messageAll`. The first character is lower-cased; a
 * lower-case letter after `-`, `_`, `.` or whitespace is upper-cased and the separator dropped.
 * Already camelCase input is returned unchanged.
 */
export function toCamelCase(value: string): string {
	return joinWords(value, false);
}

/** `is_read` → `IsRead`. Like {@link toCamelCase}, but the first character is upper-cased. */
export function toPascalCase(value: string): string {
	return joinWords(value, true);
}

/**
 * `isRead` → `is_read`; `IsRead` → `is_read`; `message-all` → `message_all`. Each `-`, `.` or
 * whitespace character becomes `_`, the first character is lower-cased and every later capital
 * becomes `_` + its lower-case form (so acronyms split per letter: `HTTPServer` → `h_t_t_p_server`,
 * as in python-o365).
 */
export function toSnakeCase(value: string): string {
	const separated = value.replace(/[-.\s]/g, "_");
	if (separated === "") {
		return separated;
	}
	const rest = separated.slice(1).replace(/[A-Z]/g, (capital) => `_${capital.toLowerCase()}`);
	return separated.charAt(0).toLowerCase() + rest;
}

function joinWords(value: string, upperFirst: boolean): string {
	if (value === "") {
		return value;
	}
	const first = value.charAt(0);
	const rest = value.slice(1).replace(/[-_.\s]+([a-z])/g, (_match, letter: string) => letter.toUpperCase());
	return (upperFirst ? first.toUpperCase() : first.toLowerCase()) + rest;
}
