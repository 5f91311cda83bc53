import { exampleProject } from "@o365/example-support/vitest";

export default exampleProject();
