import { abortError } from "../utils/abort.js";

/**
 * Asks the user to consent: receives the sign-in URL, resolves with the URL the browser was
 * redirected to (or the `form_post` parameters), or with `null`/`undefined` to abort.
 */
export type ConsentHandler = (
	consentUrl: string,
	options: { signal: AbortSignal },
) => Promise<string | URLSearchParams | null | undefined> | string | URLSearchParams | null | undefined;

export interface ConsoleConsentOptions {
	/** Where the prompt is printed. @default process.stdout */
	output?: NodeJS.WritableStream;
	/** Where the pasted URL is read from. @default process.stdin */
	input?: NodeJS.ReadableStream;
}

/**
 * python-o365's `consent_input_token`: prints the URL, then reads the redirected URL the user
 * pastes. An empty line aborts. Stops waiting when the signal aborts (timeout or cancel).
 */
export function consoleConsent(options: ConsoleConsentOptions = {}): ConsentHandler {
	return async (consentUrl, { signal }) => {
		const output = options.output ?? process.stdout;
		output.write(`Visit the following url to give consent:\n${consentUrl}\n`);
		// Loaded here: only a console sign-in needs it.
		const { createInterface } = await import("node:readline/promises");
		const readline = createInterface({ input: options.input ?? process.stdin, output, terminal: false });
		try {
			const answer = await readline.question("Paste the authenticated url here:\n", { signal });
			return answer.trim() === "" ? null : answer.trim();
		} catch (error) {
			if (signal.aborted) throw abortError(signal);
			throw error;
		} finally {
			readline.close();
		}
	};
}

let nativeClientWarned = false;

/**
 * Once per process: Microsoft's `nativeclient` redirect page now often shows a phishing warning
 * or bounces to `/common/wrongplace` before the URL can be copied (python-o365 #1198, #1213).
 */
export function warnAboutNativeClient(output: NodeJS.WritableStream, redirectUri: string): void {
	if (nativeClientWarned || !/\/oauth2\/nativeclient$/i.test(new URL(redirectUri).pathname)) return;
	nativeClientWarned = true;
	output.write(
		'Warning: Microsoft\'s nativeclient page may show a phishing warning or send you to /common/wrongplace before you can copy its URL. If it does, sign in with authenticate({ method: "deviceCode" }) or authenticate({ method: "loopback" }) instead.\n',
	);
}
