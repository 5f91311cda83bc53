// Google's Cloud Firestore emulator (.ci/firestore), unless O365_TEST_FIRESTORE_HOST names one.
import { ciServerSetup } from "@o365/example-support/ci-server";

export default ciServerSetup("firestore", ["O365_TEST_FIRESTORE_HOST"]);
