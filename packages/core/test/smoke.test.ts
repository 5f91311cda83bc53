import { describe, expect, it } from "vitest";
import * as core from "@o365/core";
describe("x", () => { it("loads", () => { expect(core).toBeTypeOf("object"); }); });
