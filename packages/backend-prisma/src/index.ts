export { PrismaTokenBackend, type PrismaTokenBackendOptions } from "./prisma-token-backend.js";
