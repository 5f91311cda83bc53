// Fails any test whose code opens a connection beyond loopback.
import "@o365/testkit/guard";
