export { FileSystemTokenBackend, type FileSystemTokenBackendOptions } from "./file-system-token-backend.js";
