import { exampleProject } from "@o365/example-support/vitest";

export default exampleProject({ globalSetup: ["./test/global-setup.ts"] });
