/**
 * Redaction by value: the secrets this process holds (client secrets, passwords, the tokens of
 * every cache loaded or saved) are remembered here, so that a server or driver message that
 * echoes one in plain words is redacted even when no pattern recognises it.
 *
 * Design: one process-wide registry, because errors are built in places (backends, MSAL
 * callbacks) that know no connection. It is bounded, so memory stays flat however many tokens
 * rotate through a long-lived process: at most {@link MAX_TOKENS} tokens, the least recently
 * remembered dropped first, and apart from them, so that rotating tokens never push them out, at
 * most {@link MAX_CREDENTIALS} credentials (client secrets, passwords): about 1 MB at worst with
 * 2 KB access tokens. Remembering is a Set insertion on sign-in, load and save only;
 * the scan runs only when an error or a log line is built, never on the request path, and costs
 * one pass over the text whatever the number of secrets (a few µs for a 300-character line).
 */

/** How many tokens are remembered; older ones are forgotten first. */
const MAX_TOKENS = 512;
/** How many credentials are remembered; older ones are forgotten first. */
const MAX_CREDENTIALS = 64;
/** Shorter values are not redacted by value: they would mangle ordinary words. */
const MIN_SECRET_LENGTH = 8;
/** A long secret is also found by its beginning, so that a truncated echo is redacted too. */
const PREFIX_LENGTH = 16;
/** Where an echoed secret ends: it never spans whitespace, quotes, commas, braces or `&`. */
const SECRET_TAIL = /^[^\s"'`,;&<>(){}[\]\\]*/;

/** Remembered credentials and tokens, each oldest first. */
const credentials = new Set<string>();
const tokens = new Set<string>();
/** Remembered secrets by their first {@link MIN_SECRET_LENGTH} characters; rebuilt after a change. */
let byHead: Map<string, string[]> | undefined;
/** The first three characters of each remembered secret, folded into small integers: a scan's cheap first test. */
let firstThree: Set<number> | undefined;

/**
 * Remembers a secret value so that it is redacted from every error message and log line built
 * afterwards. Values shorter than 8 characters are ignored. Call it for a credential given to the
 * library that it does not know of already (the client secret is remembered by `Connection`).
 */
export function rememberSecret(value: unknown): void {
	remember(credentials, value, MAX_CREDENTIALS);
}

/** Remembers a token the library holds (every token of a cache loaded or saved). */
export function rememberToken(value: unknown): void {
	remember(tokens, value, MAX_TOKENS);
}

function remember(values: Set<string>, value: unknown, max: number): void {
	if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH) return;
	if (values.delete(value)) {
		values.add(value); // moved last: the most recently remembered is forgotten last
		return;
	}
	values.add(value);
	if (values.size > max) values.delete(values.values().next().value as string);
	byHead = undefined;
	firstThree = undefined;
}

/**
 * Replaces every remembered secret in `text`, and any echo that begins like one, by `[redacted]`.
 * One pass over the text looks each position up by its first characters, so the cost grows with
 * the text, not with the number of secrets remembered.
 */
export function redactKnownSecrets(text: string): string {
	if ((credentials.size === 0 && tokens.size === 0) || text.length < MIN_SECRET_LENGTH) return text;
	byHead ??= indexByHead();
	firstThree ??= new Set([...credentials, ...tokens].map((secret) => threeAt(secret, 0)));
	let result = "";
	let copied = 0;
	for (let at = 0; at + MIN_SECRET_LENGTH <= text.length; at += 1) {
		if (!firstThree.has(threeAt(text, at))) continue;
		const candidates = byHead.get(text.slice(at, at + MIN_SECRET_LENGTH));
		if (candidates === undefined) continue;
		const end = echoEnd(text, at, candidates);
		if (end === undefined) continue;
		result += `${text.slice(copied, at)}[redacted]`;
		copied = end;
		at = end - 1;
	}
	return copied === 0 ? text : result + text.slice(copied);
}

/** Three UTF-16 units from `at`, 10 bits of each, as one small integer (collisions only cost a lookup). */
function threeAt(text: string, at: number): number {
	return (
		((text.charCodeAt(at) & 0x3ff) << 20) |
		((text.charCodeAt(at + 1) & 0x3ff) << 10) |
		(text.charCodeAt(at + 2) & 0x3ff)
	);
}

function indexByHead(): Map<string, string[]> {
	const index = new Map<string, string[]>();
	for (const secret of [...credentials, ...tokens]) {
		const head = secret.slice(0, MIN_SECRET_LENGTH);
		const list = index.get(head);
		if (list === undefined) index.set(head, [secret]);
		else list.push(secret);
	}
	return index;
}

/**
 * Where an echo at `at` of one of `candidates` ends: the whole secret, or, for a long one, a
 * truncated echo of at least its first {@link PREFIX_LENGTH} characters, up to where a token
 * would end. `undefined` when none is echoed there.
 */
function echoEnd(text: string, at: number, candidates: string[]): number | undefined {
	for (const secret of candidates) {
		if (text.startsWith(secret, at)) return at + secret.length;
	}
	for (const secret of candidates) {
		if (secret.length <= PREFIX_LENGTH || !text.startsWith(secret.slice(0, PREFIX_LENGTH), at)) continue;
		const tail = SECRET_TAIL.exec(text.slice(at + PREFIX_LENGTH))?.[0] ?? "";
		return at + PREFIX_LENGTH + tail.length;
	}
	return undefined;
}
