/** The pages the loopback server shows in the browser, unless the caller gives its own. */

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export const DEFAULT_SUCCESS_PAGE =
	'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signed in</title></head><body><h1>Signed in</h1><p>You can close this window and return to the application.</p></body></html>';

/** Everything echoed is escaped: the values come from the query string, which anyone can forge. */
export function defaultErrorPage({ error, description }: { error: string; description: string }): string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign-in failed</title></head><body><h1>Sign-in failed</h1><p><code>${escapeHtml(error)}</code></p><p>${escapeHtml(description)}</p><p>Close this window and try again from the application.</p></body></html>`;
}
