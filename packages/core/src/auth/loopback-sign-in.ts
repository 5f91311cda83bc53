/**
 * Loopback sign-in: the authorization code flow with PKCE, redirected to a local server on
 * 127.0.0.1 (Entra's `http://localhost:<port>` rule for native apps). Ours, not msal-node's
 * `acquireTokenInteractive`, which has no timeout or cancel and may leave msal-node (see
 * login-ux-and-cli.md §0): this one stops on abort and after `timeoutMs`, and its server closes
 * on every outcome.
 */

import { AuthenticationError } from "../errors.js";
import type { AuthorizationFlow } from "./authorization-flow.js";
import { type BrowserOpener, openSystemBrowser } from "./browser-opener.js";
import { DEFAULT_SUCCESS_PAGE, defaultErrorPage } from "./loopback-pages.js";
import { startLoopbackServer } from "./loopback-server.js";
import { Deadline } from "./sign-in-deadline.js";

/** The two steps of a code sign-in this flow needs (a Connection). */
export interface CodeSignIn {
	getAuthorizationUrl(
		scopes: string[],
		options: { redirectUri: string },
	): Promise<{ url: string; flow: AuthorizationFlow }>;
	requestToken(
		redirected: string,
		options: { flow: AuthorizationFlow; signal: AbortSignal },
	): Promise<boolean>;
}

export interface LoopbackSignInOptions {
	/** Scopes, already expanded and prefixed. */
	scopes: string[];
	/** `undefined`: the platform's opener; `null`: print the URL only. */
	openBrowser: BrowserOpener | null | undefined;
	port: number;
	successPage: string | undefined;
	errorPage: ((error: { error: string; description: string }) => string) | undefined;
	signal: AbortSignal | undefined;
	timeoutMs: number;
	output: NodeJS.WritableStream | null;
}

export async function signInWithLoopback(con: CodeSignIn, options: LoopbackSignInOptions): Promise<boolean> {
	const deadline = new Deadline(options.signal, options.timeoutMs);
	const { signal } = deadline;
	let server: Awaited<ReturnType<typeof startLoopbackServer>> | undefined;
	try {
		server = await startLoopbackServer({
			port: options.port,
			successPage: options.successPage ?? DEFAULT_SUCCESS_PAGE,
			errorPage: options.errorPage ?? defaultErrorPage,
		});
		const { url, flow } = await con.getAuthorizationUrl(options.scopes, { redirectUri: server.redirectUri });
		const redirected = server.waitForRedirect(flow.state, signal);
		redirected.catch(() => {}); // observed below; a browser that answers before we wait must not be unhandled
		const opener = options.openBrowser === undefined ? openSystemBrowser : options.openBrowser;
		let arrived = false;
		// Not awaited before the redirect: an opener may resolve only once its browser has been
		// answered, and the answer waits for the code's redemption below.
		const opening =
			opener === null
				? Promise.resolve(false)
				: Promise.resolve()
						.then(() => opener(url, { signal }))
						.then(
							(answer) => answer !== false,
							() => false, // a failing opener is a browser that did not open: the URL is printed
						);
		void opening.then((opened) => {
			if (!opened && !arrived && !signal.aborted) {
				options.output?.write(`To sign in, open this URL in a browser:\n${url}\n`);
			}
		});
		const redirect = await redirected;
		arrived = true;
		try {
			await con.requestToken(redirect.url, { flow, signal });
		} catch (error) {
			const said = error instanceof AuthenticationError ? error.providerError : {};
			redirect.finish({
				error: said.error ?? (error instanceof AuthenticationError ? error.code : "sign_in_failed"),
				description: said.errorDescription ?? (error instanceof Error ? error.message : ""),
			});
			throw error;
		}
		redirect.finish();
		return true;
	} catch (error) {
		throw deadline.explain(error, "no sign-in came back to the loopback redirect");
	} finally {
		deadline.dispose();
		await server?.close();
	}
}
