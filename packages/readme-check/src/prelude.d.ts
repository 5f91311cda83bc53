// The free variables every README snippet may use without declaring them: what a reader's own app
// already has (its Entra registration, its web framework's request and response). A snippet that
// needs more says so with a <!-- ts-check-header: … --> marker. This file is a script, not a
// module: its declarations are global, and a snippet's own `const clientId = …` shadows them.

/** Application (client) ID from the app's Overview page in Entra. */
declare const clientId: string;
/** A client secret's Value (Certificates & secrets). */
declare const clientSecret: string;
/** Directory (tenant) ID or domain. */
declare const tenantId: string;
/** Hex thumbprint and PEM private key of the app's certificate. */
declare const thumbprint: string;
declare const privateKey: string;
/** A user's sign-in name and password (password flow). */
declare const username: string;
declare const password: string;
/** The request and response of a web framework such as Express, with a server-side session. */
declare const req: {
	originalUrl: string;
	session: { flow?: import("@o365/core").AuthorizationFlow };
	user: { id: string };
};
declare const res: { redirect(url: string): void };
