// A throwaway moto server (.ci/moto), unless O365_TEST_MOTO_ENDPOINT names one.
import { ciServerSetup } from "@o365/example-support/ci-server";

export default ciServerSetup("moto", ["O365_TEST_MOTO_ENDPOINT"]);
