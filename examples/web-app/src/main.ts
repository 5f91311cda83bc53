/**
 * The web app example:
 *
 *   pnpm --filter @o365/example-web-app start        # offline: the test kit's identity platform and Graph
 *   O365_CLIENT_ID=… O365_CLIENT_SECRET=… pnpm --filter @o365/example-web-app start   # real Microsoft Entra
 *
 * Listens on PORT (default 3000); open http://localhost:3000.
 */
import { serveWebApp } from "./serve.js";

serveWebApp({});
