import "@o365/testkit/guard";
