export type { TokenFileFormat } from "./file-format.js";
export { FileSystemTokenBackend, type FileSystemTokenBackendOptions } from "./file-system-token-backend.js";
