/** This package's version, sent in `User-Agent` (a test keeps it equal to package.json's). */
export const SDK_VERSION = "0.1.0";

/** `o365-ts/<version>`: Graph logs it, and Microsoft support can tell our calls apart. */
export const SDK_NAME = `o365-ts/${SDK_VERSION}`;

/** `User-Agent` of every request: the SDK, then the runtime. */
export const USER_AGENT = `${SDK_NAME} (node ${process.versions.node})`;
