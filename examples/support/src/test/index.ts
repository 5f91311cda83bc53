export { type CiServer, type CiServerName, startCiServer } from "./ci-server.js";
export { EXAMPLE_COMMAND, exampleBaseEnv, runExample } from "./run-example.js";
export { startInTerminal, type Terminal, type TerminalOptions } from "./terminal.js";
