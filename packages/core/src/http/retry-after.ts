/**
 * `Retry-After` (RFC 9110 §10.2.3): a number of seconds or an HTTP date. Graph sends seconds on
 * 429/503, also per step inside a `$batch` response.
 */

/**
 * How long `Retry-After` asks to wait, in milliseconds (0 for a date in the past), or `undefined`
 * when the header is missing or unreadable.
 * @param now - the current time in epoch milliseconds. @default Date.now()
 */
export function parseRetryAfter(
	value: string | null | undefined,
	now: number = Date.now(),
): number | undefined {
	if (value === null || value === undefined) return undefined;
	const text = value.trim();
	if (text === "") return undefined;
	const seconds = Number(text);
	if (Number.isFinite(seconds)) return seconds < 0 ? undefined : Math.ceil(seconds * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}
