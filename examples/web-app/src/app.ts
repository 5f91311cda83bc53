/**
 * The web app: Express 5 routes around @o365/core's two-step sign-in (getAuthorizationUrl, then requestToken).
 *
 * - `/login` makes a sign-in flow (state, PKCE verifier, nonce), keeps it in the server-side session and sends
 *   the browser to the identity platform with `response_mode=query`.
 * - `/callback` takes the flow out of the session (one use), redeems the code, stores the user's tokens in
 *   the user's own token location, then regenerates the session (a new id: no session fixation).
 * - `/` asks Graph `GET /me` with the signed-in user's token; `POST /logout` forgets the session and the tokens.
 */
import { randomBytes } from "node:crypto";
import {
	Account,
	type AccountOptions,
	AuthenticationError,
	type AuthorizationFlow,
	type Credentials,
	MemoryTokenBackend,
	O365Error,
} from "@o365/core";
import express, { type NextFunction, type Request, type Response } from "express";
import session from "express-session";
import { errorPage, signedInPage, signedOutPage, signOutPage } from "./pages.js";
import type { UserTokenStore } from "./user-tokens.js";

declare module "express-session" {
	interface SessionData {
		/** The sign-in in progress: holds the PKCE verifier, so it stays on the server. */
		flow: AuthorizationFlow;
		/** The signed-in user's home account id: the key of their token location. */
		userKey: string;
	}
}

export interface WebAppOptions {
	/** The app's client id and secret (a web app is a confidential client). */
	credentials: Credentials;
	/** Everything else the Account needs (tenant, authority, protocol…), except `tokenBackend`. */
	accountOptions: Omit<AccountOptions, "tokenBackend" | "authFlowType">;
	/** Where the identity platform sends the browser back: this app's `/callback`. */
	redirectUri: string;
	/** Where each user's tokens are kept. */
	tokens: UserTokenStore;
	/** Scopes or scope helpers to ask for. @default ["basic"] (User.Read) */
	scopes?: string[];
	/** Signs the session cookie. @default random bytes (sessions do not survive a restart) */
	sessionSecret?: string;
}

/** An error page with its HTTP status; what the error handler renders. */
class PageError extends Error {
	constructor(
		readonly status: number,
		readonly title: string,
		message: string,
	) {
		super(message);
	}
}

/** Which sign-in errors the user caused or can fix, and how to say so. */
function pageErrorFor(error: unknown): PageError {
	if (error instanceof PageError) return error;
	if (error instanceof AuthenticationError) {
		switch (error.code) {
			case "authorization_denied":
				return new PageError(
					403,
					"Sign-in declined",
					"You declined to let this app access your account, so you are not signed in. Sign in again and accept to use the app.",
				);
			case "state_mismatch":
			case "invalid_redirect":
				return new PageError(
					400,
					"Sign-in could not be completed",
					"This sign-in response does not belong to the sign-in this browser started (it may be forged, replayed or from another tab). Nothing was signed in. Start again.",
				);
		}
	}
	return new PageError(
		500,
		"Something went wrong",
		"The app could not complete the request. Try again; if it keeps failing, the server log says why.",
	);
}

function promisify(call: (done: (error?: unknown) => void) => void): Promise<void> {
	return new Promise((resolve, reject) => call((error) => (error ? reject(error) : resolve())));
}

export function createWebApp(options: WebAppOptions): express.Express {
	const { credentials, redirectUri, tokens } = options;
	const scopes = options.scopes ?? ["basic"];
	const accountOptions: AccountOptions = {
		...options.accountOptions,
		authFlowType: "authorization",
		redirectUri,
	};
	const callbackPath = new URL(redirectUri).pathname;
	/** One Account per signed-in user, over that user's token location. */
	const accounts = new Map<string, Account>();
	const accountFor = (userKey: string): Account => {
		let account = accounts.get(userKey);
		if (account === undefined) {
			account = new Account(credentials, { ...accountOptions, tokenBackend: tokens.backendFor(userKey) });
			accounts.set(userKey, account);
		}
		return account;
	};

	const app = express();
	app.disable("x-powered-by");
	app.use(
		session({
			name: "o365.sid",
			secret: options.sessionSecret ?? randomBytes(32).toString("base64url"),
			resave: false,
			saveUninitialized: false,
			// Lax: the callback is a top-level GET navigation from the identity platform (response_mode=query),
			// which Lax cookies accompany. README.md says why not form_post + SameSite=None.
			cookie: { httpOnly: true, sameSite: "lax", secure: redirectUri.startsWith("https:") },
		}),
	);

	app.get("/", async (req, res) => {
		const userKey = req.session.userKey;
		if (userKey === undefined) {
			res.type("html").send(signedOutPage());
			return;
		}
		try {
			// The token is refreshed on the way when it has expired.
			const me = (await (await accountFor(userKey).con.get("me")).json()) as {
				displayName: string;
				userPrincipalName: string;
			};
			res.type("html").send(signedInPage(me));
		} catch (error) {
			if (!(error instanceof AuthenticationError && error.code === "sign_in_required")) throw error;
			delete req.session.userKey;
			res.type("html").send(signedOutPage("Your sign-in has expired. Sign in again."));
		}
	});

	app.get("/login", async (req, res) => {
		const { url, flow } = await new Account(credentials, accountOptions).getAuthorizationUrl(scopes, {
			responseMode: "query",
		});
		req.session.flow = flow;
		// Saved before the browser leaves, so the callback finds it.
		await promisify((done) => req.session.save(done));
		res.redirect(url);
	});

	app.get(callbackPath, async (req, res) => {
		const flow = req.session.flow;
		// One use: a replayed or second callback finds no flow.
		delete req.session.flow;
		if (flow === undefined) {
			throw new PageError(
				400,
				"No sign-in in progress",
				"This browser has no sign-in in progress (it may have expired, been used already, or the session cookie was not sent). Start again.",
			);
		}
		// The user is known only once the code is redeemed: sign in on a scratch backend, then move the tokens
		// to the user's own location.
		const scratch = new MemoryTokenBackend();
		const account = new Account(credentials, { ...accountOptions, tokenBackend: scratch });
		await account.requestToken(req.originalUrl, { flow });
		const userKey = scratch.getAccount(
			account.username ? { username: account.username } : {},
		)?.home_account_id;
		if (userKey === undefined)
			throw new PageError(502, "Sign-in failed", "The identity platform named no user.");
		const backend = tokens.backendFor(userKey);
		backend.deserialize(scratch.serialize(), { changed: true });
		await backend.saveToken();
		accounts.set(userKey, new Account(credentials, { ...accountOptions, tokenBackend: backend }));
		// A new session id once signed in: a session id planted before sign-in is worthless.
		await promisify((done) => req.session.regenerate(done));
		req.session.userKey = userKey;
		await promisify((done) => req.session.save(done));
		res.redirect("/");
	});

	// A POST from the page's own form: a SameSite=Lax cookie is not sent on another site's POST, so no other
	// site can sign the user out. GET shows the button.
	app.get("/logout", (_req, res) => {
		res.type("html").send(signOutPage());
	});

	app.post("/logout", async (req, res) => {
		const userKey = req.session.userKey;
		if (userKey !== undefined) {
			accounts.delete(userKey);
			await tokens.backendFor(userKey).deleteToken();
		}
		await promisify((done) => req.session.destroy(done));
		res.clearCookie("o365.sid");
		res.redirect(303, "/");
	});

	app.use((_req, res) => {
		res.status(404).type("html").send(errorPage("Not found", "There is no page here."));
	});

	// Express 5 sends rejected route promises here. The page says what to do; the log says why.
	app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
		const page = pageErrorFor(error);
		if (page.status >= 500) {
			console.error(error instanceof O365Error ? `${error.name} (${error.code}): ${error.message}` : error);
		}
		res.status(page.status).type("html").send(errorPage(page.title, page.message));
	});
	return app;
}
