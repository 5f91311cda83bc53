// A throwaway one-node Ceph radosgw (.ci/radosgw), unless O365_TEST_S3_ENDPOINT names an S3 server.
import { ciServerSetup } from "@o365/example-support/ci-server";

export default ciServerSetup("radosgw", [
	"O365_TEST_S3_ENDPOINT",
	"O365_TEST_S3_ACCESS_KEY",
	"O365_TEST_S3_SECRET_KEY",
]);
