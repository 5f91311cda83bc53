// Fails any test whose code opens a connection beyond loopback.
import "../src/guard.js";
