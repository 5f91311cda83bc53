/**
 * For processes a test starts (`node --import @o365/testkit/guard-process …`): installs the
 * egress guard, so a child that tries to reach beyond loopback fails as loudly as the test would.
 */
import { installEgressGuard } from "./egress-guard.js";

installEgressGuard();
