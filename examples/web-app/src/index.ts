export { createWebApp, type WebAppOptions } from "./app.js";
export { DEMO_USERS, type Identity, setUpIdentity } from "./identity.js";
export { errorPage, escapeHtml, signedInPage, signedOutPage, signOutPage } from "./pages.js";
export { serveWebApp } from "./serve.js";
export { type RunningWebApp, type StartWebAppOptions, startWebApp } from "./server.js";
export { MemoryUserTokenStore, type UserTokenStore } from "./user-tokens.js";
