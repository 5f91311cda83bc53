export { expectExampleStoresTheToken, usernamesWithRefreshToken } from "./backend-example.js";
export { type CiServer, type CiServerName, ciServerSetup, startCiServer } from "./ci-server.js";
export { EXAMPLE_COMMAND, exampleBaseEnv, runExample } from "./run-example.js";
export { startInTerminal, type Terminal, type TerminalOptions } from "./terminal.js";
