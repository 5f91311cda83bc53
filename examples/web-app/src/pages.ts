/**
 * The app's HTML. Every value from a user, the identity platform or Graph is escaped.
 */

export function escapeHtml(value: string): string {
	return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:36rem;margin:3rem auto}#error{color:#a4262c}</style></head>
<body>${body}</body></html>`;
}

export function signedOutPage(notice?: string): string {
	return layout(
		"o365 web app",
		`<h1>o365 web app</h1>${notice === undefined ? "" : `<p id="notice">${escapeHtml(notice)}</p>`}
<p>You are not signed in.</p><p><a id="sign-in" href="/login">Sign in with Microsoft</a></p>`,
	);
}

export function signedInPage(me: { displayName: string; userPrincipalName: string }): string {
	return layout(
		"o365 web app",
		`<h1>o365 web app</h1>
<p>Signed in as <strong id="display-name">${escapeHtml(me.displayName)}</strong>
(<span id="upn">${escapeHtml(me.userPrincipalName)}</span>), from <code>GET /me</code>.</p>
${SIGN_OUT_FORM}`,
	);
}

const SIGN_OUT_FORM =
	'<form method="POST" action="/logout"><button id="sign-out" type="submit">Sign out</button></form>';

export function signOutPage(): string {
	return layout("Sign out", `<h1>Sign out</h1><p>Sign out of the o365 web app?</p>${SIGN_OUT_FORM}`);
}

/** An error the user can act on: what happened and a way back. Never a stack trace. */
export function errorPage(title: string, message: string): string {
	return layout(
		title,
		`<h1 id="error-title">${escapeHtml(title)}</h1><p id="error">${escapeHtml(message)}</p>
<p><a id="try-again" href="/login">Sign in again</a> · <a href="/">Home</a></p>`,
	);
}
