/**
 * Redaction by value: the secrets this process holds (client secrets, passwords, the tokens of
 * every cache loaded or saved) are remembered here, so that a server or driver message that
 * echoes one in plain words is redacted even when no pattern recognises it.
 *
 * Design: one process-wide registry, because errors are built in places (backends, MSAL
 * callbacks) that know no connection. It is bounded: at most {@link MAX_KNOWN_SECRETS} values,
 * the least recently remembered dropped first, so memory stays flat however many tokens rotate
 * through a long-lived process. Remembering is a Set insertion on sign-in, load and save only;
 * the scan runs only when an error or a log line is built, never on the request path.
 */

/** How many values are remembered; older ones are forgotten first. */
const MAX_KNOWN_SECRETS = 512;
/** Shorter values are not redacted by value: they would mangle ordinary words. */
const MIN_SECRET_LENGTH = 8;
/** A long secret is also found by its beginning, so that a truncated echo is redacted too. */
const PREFIX_LENGTH = 16;
/** Where an echoed secret ends: it never spans whitespace, quotes, commas, braces or `&`. */
const SECRET_TAIL = /^[^\s"'`,;&<>(){}[\]\\]*/;

const known = new Set<string>();

/**
 * Remembers a secret value so that it is redacted from every error message and log line built
 * afterwards. Values shorter than 8 characters are ignored. Call it for any credential given to
 * the library (the client secret, a password) and for every token it stores.
 */
export function rememberSecret(value: unknown): void {
	if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH) return;
	known.delete(value); // re-inserted last: the most recently remembered is forgotten last
	known.add(value);
	if (known.size > MAX_KNOWN_SECRETS) known.delete(known.values().next().value as string);
}

/** Replaces every remembered secret in `text`, and any echo that begins like one, by `[redacted]`. */
export function redactKnownSecrets(text: string): string {
	if (known.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
	let result = text;
	for (const secret of known) {
		const start = secret.length > PREFIX_LENGTH ? secret.slice(0, PREFIX_LENGTH) : secret;
		if (!result.includes(start)) continue;
		result = result.split(secret).join("[redacted]");
		if (start !== secret) result = redactFrom(result, start);
	}
	return result;
}

/** Redacts each stretch that begins with `start` up to where a token would end. */
function redactFrom(text: string, start: string): string {
	let result = text;
	for (let at = result.indexOf(start); at !== -1; at = result.indexOf(start, at + 1)) {
		const tail = SECRET_TAIL.exec(result.slice(at + start.length))?.[0] ?? "";
		result = `${result.slice(0, at)}[redacted]${result.slice(at + start.length + tail.length)}`;
	}
	return result;
}
